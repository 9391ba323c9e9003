package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;
import static io.herald.console.Widgets.badge;
import static io.herald.console.Widgets.time;

import io.herald.route.Replay;
import io.herald.store.DeadLetterStore;
import java.util.ArrayList;
import java.util.List;

/** Dead letters as a table: what failed and why, the command's status now, what a replay would do, its replays so far. */
final class DeadLetterTable {
    private DeadLetterTable() {}

    /** {@code withReplayPlan}: a column that says what a replay would do with each letter (the dry run's verdict). */
    static Html of(List<DeadLetterStore.DeadLetter> letters, boolean withReplayPlan) {
        var headers = new ArrayList<>(
                List.of("id", "command", "type", "class", "error", "failed", "command now", "replayed", "by", "count"));
        if (withReplayPlan) {
            headers.add("a replay would");
        }
        var rows = new ArrayList<List<Html>>();
        for (var step : Replay.plan(letters)) {
            var letter = step.letter();
            var row = new ArrayList<>(List.of(
                    text(letter.id()),
                    Widgets.command(letter.commandId()),
                    text(letter.type()),
                    badge(letter.errorClass()),
                    el("span").cls("error").text(letter.error()),
                    time(letter.failedAt()),
                    badge(letter.superseded() ? "superseded" : letter.commandStatus()),
                    time(letter.replayedAt()),
                    text(letter.replayedBy() == null ? "–" : letter.replayedBy()),
                    text(letter.replayCount())));
            if (withReplayPlan) {
                row.add(
                        step.skipped()
                                ? text("skip: " + step.skipReason())
                                : el("span")
                                        .cls(warns(letter) ? "warning-text" : null)
                                        .text("send it again" + (warns(letter) ? ": " + step.note() : "")));
            }
            rows.add(row);
        }
        return Widgets.table(letters.size() + " dead letter(s)", headers, rows);
    }

    static boolean warns(DeadLetterStore.DeadLetter letter) {
        return "unknown-outcome".equals(letter.errorClass());
    }
}
