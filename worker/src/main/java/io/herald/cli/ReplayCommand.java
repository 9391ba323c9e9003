package io.herald.cli;

import io.herald.command.ErrorClass;
import io.herald.config.HeraldConfig;
import io.herald.store.DeadLetterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || limit < 1) {
            throw new IllegalArgumentException("--rate and --limit must be positive");
        }
        var classes = classes(errorClasses);
        var config = HeraldConfig.fromEnvironment();
        if (!dryRun) {
            config.require(io.herald.config.Setting.Need.KAFKA);
        }
        try (var database = Connections.database(config)) {
            var store = new DeadLetterStore(database);
            var commandIds = ids == null ? null : Files.readAllLines(ids).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            var letters = store.find(new DeadLetterStore.Filter(from, to, classes, type, campaign, commandIds, again), limit);
            return new Replay(store, config, dryRun, rate, by).run(letters);
        }
    }

    /**
     * The classes to replay: those named (each one checked), or every class but {@code unknown-outcome}, whose calls
     * OneAll may have carried out: replaying those may post twice, so it takes asking for them by name.
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
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new ReplayCommand()), "--class " + name
                        + " is no dead letter's class; expected invalid, permanent, exhausted, credentials or unknown-outcome");
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

        public int run(List<DeadLetterStore.DeadLetter> letters) throws Exception {
            var steps = replay(letters, step -> {
                var letter = step.letter();
                if (step.skipped()) {
                    System.out.printf("skip   %d %s (%s): %s%n", letter.id(), letter.commandId(), letter.errorClass(), step.skipReason());
                } else {
                    System.out.printf("%s %d %s (%s, %s): %s%n", dryRun ? "would replay" : "replay", letter.id(), letter.commandId(),
                            letter.type(), letter.errorClass(), step.note());
                }
            });
            long skipped = steps.stream().filter(Step::skipped).count();
            System.out.printf(Locale.ROOT, "%s %d, skipped %d of %d dead letters%n", dryRun ? "would replay" : "replayed",
                    steps.size() - skipped, skipped, letters.size());
            return 0;
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
