package io.herald.route;

import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import io.herald.config.HeraldConfig;
import io.herald.config.Setting.Need;
import io.herald.store.DeadLetterStore;
import io.herald.store.OutboxMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A replay of dead letters, by the command line or the console: each letter is reopened in the ledger, sent again with
 * its original key, value and headers (its trace context among them), then marked replayed; the ones whose command has
 * ended since, or whose late answer showed it took effect, are skipped, and so is every {@code conflict} letter (a
 * record that reused a command's id). {@code dryRun} only plans.
 */
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
        return letters.stream()
                .map(letter -> {
                    var skip = reasonToSkip(letter);
                    return new Step(letter, skip, skip == null ? warning(letter) : null);
                })
                .toList();
    }

    /**
     * Replays the letters as {@link #plan planned} (when dry, only plans them), telling {@code done} of each step once
     * it is taken: a letter is reopened in the ledger, sent with its original key and value, then marked replayed.
     */
    public List<Step> replay(List<DeadLetterStore.DeadLetter> letters, java.util.function.Consumer<Step> done)
            throws Exception {
        return carryOut(plan(letters), done);
    }

    /**
     * Takes the steps planned (when dry, only tells them): a letter is reopened in the ledger, sent with its original
     * key and value, then marked replayed where the {@code dead_letters} table still has its row.
     */
    public List<Step> carryOut(List<Step> steps, java.util.function.Consumer<Step> done) throws Exception {
        int sent = 0;
        try (var publisher = dryRun ? null : publisher()) {
            long started = System.nanoTime();
            for (var step : steps) {
                var letter = step.letter();
                if (!step.skipped() && !dryRun) {
                    pace(started, sent);
                    if (letter.commandId() != null && !"invalid".equals(letter.errorClass())) {
                        store.reopen(letter.commandId());
                    }
                    publisher
                            .send(new OutboxMessage(
                                    config.kafka().commandsTopic(),
                                    letter.key(),
                                    letter.value(),
                                    Map.of(),
                                    letter.headers()))
                            .toCompletableFuture()
                            .get(60, TimeUnit.SECONDS);
                    if (letter.id() > 0) {
                        store.markReplayed(letter.id(), by);
                    }
                    sent++;
                }
                done.accept(step);
            }
        }
        return steps;
    }

    static String reasonToSkip(DeadLetterStore.DeadLetter letter) {
        if (ErrorClass.CONFLICT.wireName().equals(letter.errorClass())) {
            return "reuse of command id " + letter.commandId()
                    + " with another body; never replayed: produce it under a new id";
        }
        if (CommandStatus.SUCCEEDED.is(letter.commandStatus()) || CommandStatus.PARTIAL.is(letter.commandStatus())) {
            return "the command already " + letter.commandStatus() + "; it is not sent again";
        }
        if (CommandStatus.CANCELLED.is(letter.commandStatus())) {
            return "the command was cancelled";
        }
        if (letter.superseded()) {
            return "a late answer showed its call succeeded";
        }
        return null;
    }

    static String warning(DeadLetterStore.DeadLetter letter) {
        return switch (letter.errorClass()) {
            case "unknown-outcome" ->
                "WARNING: OneAll may have carried out its first attempt; replaying may post twice";
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

    /**
     * The classes to replay: those named (each one checked), or every class but {@code unknown-outcome}, whose calls
     * OneAll may have carried out: replaying those may post twice, so it takes asking for them by name. A
     * {@code conflict} letter is among them, and always skipped, with why. A name that is no dead letter's class is
     * refused ({@link IllegalArgumentException}).
     */
    public static List<String> classes(List<String> named) {
        if (named == null || named.isEmpty()) {
            return java.util.Arrays.stream(ErrorClass.values())
                    .filter(ErrorClass::deadLetterClass)
                    .filter(c -> c != ErrorClass.UNKNOWN_OUTCOME)
                    .map(ErrorClass::wireName)
                    .toList();
        }
        for (var name : named) {
            try {
                if (!ErrorClass.fromWireName(name).deadLetterClass()) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--class " + name
                                + " is no dead letter's class; expected invalid, permanent, exhausted, credentials, unknown-outcome or conflict",
                        e);
            }
        }
        return List.copyOf(named);
    }

    /** The brokers answer, or the replay ends here in one line, before it has reopened any command. */
    private Publisher publisher() {
        config.require(Need.KAFKA);
        Topology.ensureTopics(config);
        return Publisher.connect(config.kafka(), "herald-replay");
    }
}
