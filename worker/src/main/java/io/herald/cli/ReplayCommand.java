package io.herald.cli;

import io.herald.command.ErrorClass;
import io.herald.config.HeraldConfig;
import io.herald.store.DeadLetterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald replay}: re-enqueues dead letters with their original key and value after the cause
 * was fixed. A command that already succeeded is not sent again (it is skipped here, and the ledger
 * would acknowledge it anyway); a dead letter already replayed is skipped unless {@code --again}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-enqueues dead letters (from the dead_letters table) with their original key and value.",
                "Replayed commands get a fresh budget of attempts; one that already succeeded is not sent again.",
                "unknown-outcome dead letters (calls OneAll may have carried out) are replayed only when --class names that class."})
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--from", description = "dead-lettered at or after this ISO-8601 instant")
    Instant from;

    @Option(names = "--to", description = "dead-lettered before this ISO-8601 instant")
    Instant to;

    @Option(names = "--class", split = ",", description = "error classes: invalid, permanent, exhausted, credentials, unknown-outcome"
            + " (default: all but unknown-outcome)")
    List<String> errorClasses;

    @Option(names = "--type", description = "command type")
    String type;

    @Option(names = "--campaign", description = "campaign id")
    String campaign;

    @Option(names = "--ids", description = "a file of command ids, one per line")
    Path ids;

    @Option(names = "--again", description = "also dead letters that were replayed before")
    boolean again;

    @Option(names = "--dry-run", description = "list what would be replayed and why, and send nothing")
    boolean dryRun;

    @Option(names = "--rate", description = "dead letters replayed per second at most (default: ${DEFAULT-VALUE})")
    int rate = 500;

    @Option(names = "--limit", description = "dead letters considered at most (default: ${DEFAULT-VALUE})")
    int limit = 100_000;

    @Option(names = "--by", description = "who replays, recorded in dead_letters (default: the user name)")
    String by = System.getProperty("user.name", "herald");

    @Option(names = "--json", description = "report each dead letter, then the summary, as one JSON object per line")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || limit < 1) {
            throw new ParameterException(spec.commandLine(), "--rate and --limit must be positive");
        }
        List<String> classes;
        try {
            classes = classes(errorClasses);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        var config = HeraldConfig.fromEnvironment();
        if (!dryRun) {
            config.require(io.herald.config.Setting.Need.KAFKA);
        }
        try (var database = Connections.database(config)) {
            var store = new DeadLetterStore(database);
            var commandIds = ids == null ? null : Files.readAllLines(ids).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            var letters = store.find(new DeadLetterStore.Filter(from, to, classes, type, campaign, commandIds, again), limit);
            return new Replay(store, config, dryRun, rate, by).run(letters, json, System.out);
        }
    }

    /**
     * The classes to replay: those named (each one checked), or every class but {@code unknown-outcome}, whose calls
     * OneAll may have carried out: replaying those may post twice, so it takes asking for them by name. A name that is
     * no dead letter's class is refused ({@link IllegalArgumentException}).
     */
    public static List<String> classes(List<String> named) {
        if (named == null || named.isEmpty()) {
            return java.util.Arrays.stream(ErrorClass.values()).filter(ErrorClass::deadLetterClass).filter(c -> c != ErrorClass.UNKNOWN_OUTCOME)
                    .map(ErrorClass::wireName).toList();
        }
        for (var name : named) {
            try {
                if (!ErrorClass.fromWireName(name).deadLetterClass()) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--class " + name
                        + " is no dead letter's class; expected invalid, permanent, exhausted, credentials or unknown-outcome", e);
            }
        }
        return List.copyOf(named);
    }

    /** The replay of a list of dead letters, apart from its options. */
    public record Replay(DeadLetterStore store, HeraldConfig config, boolean dryRun, int rate, String by) {
        /**
         * What a replay does with one dead letter: sends it again, with a note for the operator ({@code note}: a warning
         * on an {@code unknown-outcome} letter), or skips it ({@code skipReason}: why).
         */
        public record Step(DeadLetterStore.DeadLetter letter, String skipReason, String note) {
            public boolean skipped() {
                return skipReason != null;
            }
        }

        /** The dry run: what a replay of these letters sends and what it skips, sending nothing. */
        public static List<Step> plan(List<DeadLetterStore.DeadLetter> letters) {
            return letters.stream().map(letter -> {
                var skip = reasonToSkip(letter);
                return new Step(letter, skip, skip == null ? warning(letter) : null);
            }).toList();
        }

        /** Replays the letters, printing each step as text as it is taken, then a summary. */
        public int run(List<DeadLetterStore.DeadLetter> letters) throws Exception {
            return run(letters, false, System.out);
        }

        /** Replays the letters, printing each step as it is taken, then a summary: as text, or one JSON object per line. */
        public int run(List<DeadLetterStore.DeadLetter> letters, boolean json, PrintStream out) throws Exception {
            var report = new ReplayReport(dryRun, json);
            var steps = replay(letters, step -> out.println(report.step(step)));
            out.println(report.summary(steps));
            return ExitCodes.OK;
        }

        /**
         * Replays the letters as {@link #plan planned} (when dry, only plans them), telling {@code done} of each step once
         * it is taken: a letter is reopened in the ledger, sent with its original key and value, then marked replayed.
         */
        public List<Step> replay(List<DeadLetterStore.DeadLetter> letters, java.util.function.Consumer<Step> done) throws Exception {
            var steps = plan(letters);
            int sent = 0;
            try (var publisher = dryRun ? null : Connections.publisher(config, "herald-replay")) {
                long started = System.nanoTime();
                for (var step : steps) {
                    var letter = step.letter();
                    if (!step.skipped() && !dryRun) {
                        pace(started, sent);
                        if (letter.commandId() != null && !"invalid".equals(letter.errorClass())) {
                            store.reopen(letter.commandId());
                        }
                        publisher.send(new ProducerRecord<>(config.kafka().commandsTopic(), letter.key(), letter.value())).toCompletableFuture()
                                .get(60, TimeUnit.SECONDS);
                        store.markReplayed(letter.id(), by);
                        sent++;
                    }
                    done.accept(step);
                }
            }
            return steps;
        }

        private static String reasonToSkip(DeadLetterStore.DeadLetter letter) {
            if ("succeeded".equals(letter.commandStatus()) || "partial".equals(letter.commandStatus())) {
                return "the command already " + letter.commandStatus() + "; it is not sent again";
            }
            if ("cancelled".equals(letter.commandStatus())) {
                return "the command was cancelled";
            }
            if (letter.superseded()) {
                return "a late answer showed its call succeeded";
            }
            return null;
        }

        private static String warning(DeadLetterStore.DeadLetter letter) {
            return switch (letter.errorClass()) {
                case "unknown-outcome" -> "WARNING: OneAll may have carried out its first attempt; replaying may post twice";
                case "invalid" -> "invalid commands fail again unless the record itself was the problem: " + letter.error();
                default -> letter.error();
            };
        }

        private void pace(long started, int sent) throws InterruptedException {
            long due = started + (long) (sent * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }
}
