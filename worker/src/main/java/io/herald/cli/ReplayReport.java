package io.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.route.Replay;
import java.util.List;
import java.util.Locale;

/** What {@code herald replay} prints of each dead letter it replays or skips, and its summary: text, or a JSON object a line. */
final class ReplayReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean dryRun;
    private final boolean json;

    ReplayReport(boolean dryRun, boolean json) {
        this.dryRun = dryRun;
        this.json = json;
    }

    String step(Replay.Step step) {
        var letter = step.letter();
        if (json) {
            var node = JSON.createObjectNode();
            if (letter.id() > 0) {
                node.put("dead_letter_id", letter.id());
            } else {
                node.putNull("dead_letter_id");
            }
            node.put("command_id", letter.commandId())
                    .put("type", letter.type())
                    .put("error_class", letter.errorClass());
            return (step.skipped()
                            ? node.put("action", "skipped").put("reason", step.skipReason())
                            : node.put("action", dryRun ? "would_replay" : "replayed")
                                    .put("note", step.note()))
                    .toString();
        }
        if (step.skipped()) {
            return String.format(
                    Locale.ROOT,
                    "skip   %s %s (%s): %s",
                    id(letter),
                    letter.commandId(),
                    letter.errorClass(),
                    step.skipReason());
        }
        return String.format(
                Locale.ROOT,
                "%s %s %s (%s, %s): %s",
                dryRun ? "would replay" : "replay",
                id(letter),
                letter.commandId(),
                letter.type(),
                letter.errorClass(),
                step.note());
    }

    /** The letter's id in {@code dead_letters}, or {@code -} for one read from the topic whose row was pruned. */
    private static String id(io.herald.store.DeadLetterStore.DeadLetter letter) {
        return letter.id() > 0 ? Long.toString(letter.id()) : "-";
    }

    String summary(List<Replay.Step> steps) {
        long skipped = steps.stream().filter(Replay.Step::skipped).count();
        if (json) {
            return JSON.createObjectNode()
                    .put("dry_run", dryRun)
                    .put(dryRun ? "would_replay" : "replayed", steps.size() - skipped)
                    .put("skipped", skipped)
                    .put("dead_letters", steps.size())
                    .toString();
        }
        return String.format(
                Locale.ROOT,
                "%s %d, skipped %d of %d dead letters",
                dryRun ? "would replay" : "replayed",
                steps.size() - skipped,
                skipped,
                steps.size());
    }
}
