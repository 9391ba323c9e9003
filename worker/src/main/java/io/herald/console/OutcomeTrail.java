package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;
import static io.herald.console.JsonText.text;
import static io.herald.console.Widgets.badge;
import static io.herald.console.Widgets.time;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import io.herald.store.ConsoleQueries;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A command's outcome events, as far as PostgreSQL can tell: the outbox holds an event only until Kafka has it, so the
 * events already sent are those the ledger implies (one when the identity was held, one per dead letter, one when it
 * ended), and the outbox shows those still on their way.
 */
final class OutcomeTrail {
    private final ConsoleQueries queries;
    private final String outcomesTopic;

    OutcomeTrail(ConsoleQueries queries, String outcomesTopic) {
        this.queries = queries;
        this.outcomesTopic = outcomesTopic;
    }

    private record Implied(Instant at, String status, String why) {}

    Html section(ObjectNode command) throws SQLException {
        var commandId = text(command, "command_id");
        var implied = new ArrayList<Implied>();
        queries.heldAt(commandId)
                .ifPresent(at -> implied.add(new Implied(at, "held", "OneAll refused the identity's credentials")));
        for (var letter : command.path("dead_letters")) {
            if (ErrorClass.CONFLICT.wireName().equals(text(letter, "error_class"))) {
                continue; // another body under the command's id: no outcome event of the command
            }
            implied.add(new Implied(
                    Instant.parse(text(letter, "failed_at")),
                    CommandStatus.DEAD_LETTERED.wireName(),
                    "dead letter " + text(letter, "id") + " (" + text(letter, "error_class") + ")"));
        }
        var status = text(command, "status");
        if (Stream.of(CommandStatus.SUCCEEDED, CommandStatus.PARTIAL, CommandStatus.CANCELLED)
                .anyMatch(ended -> ended.is(status))) {
            implied.add(new Implied(Instant.parse(text(command, "updated_at")), status, "the command ended " + status));
        }
        implied.sort(Comparator.comparing(Implied::at));
        var rows = new ArrayList<List<Html>>();
        implied.forEach(event -> rows.add(List.of(time(event.at()), badge(event.status()), text(event.why()))));
        var waiting = new ArrayList<List<Html>>();
        for (var record : queries.outboxOf(commandId)) {
            waiting.add(List.of(text(record.topic()), time(record.createdAt())));
        }
        return Widgets.section(
                "Outcome events",
                Widgets.note(
                        "PostgreSQL keeps an outcome event only until Kafka has it (topic " + outcomesTopic
                                + "); the events below are"
                                + " those the ledger implies were sent, at least once each (a redelivered command may repeat its event)."),
                Widgets.table("Outcome events the ledger implies", List.of("at", "status", "why"), rows),
                waiting.isEmpty()
                        ? Html.EMPTY
                        : el("div")
                                .with(Widgets.table(
                                        "Records of this command in the outbox, not yet in Kafka",
                                        List.of("topic", "written"),
                                        waiting)));
    }
}
