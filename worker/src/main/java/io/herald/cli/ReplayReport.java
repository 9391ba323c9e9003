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
            var node = JSON.createObjectNode()
                    .put("dead_letter_id", letter.id())
                    .put("command_id", letter.commandId())
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
                    "skip   %d %s (%s): %s",
                    letter.id(),
                    letter.commandId(),
                    letter.errorClass(),
                    step.skipReason());
        }
        return String.format(
                Locale.ROOT,
                "%s %d %s (%s, %s): %s",
                dryRun ? "would replay" : "replay",
                letter.id(),
                letter.commandId(),
                letter.type(),
                letter.errorClass(),
                step.note());
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
