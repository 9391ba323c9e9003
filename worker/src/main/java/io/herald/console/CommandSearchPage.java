package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;
import static io.herald.console.Widgets.badge;
import static io.herald.console.Widgets.field;
import static io.herald.console.Widgets.time;

import io.herald.command.CommandStatus;
import io.herald.store.ConsoleQueries;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Commands found by id, routing key or campaign id; without a search, the latest ones (of one status, if asked). */
final class CommandSearchPage {
    private static final int MOST = 100;

    private final ConsoleQueries queries;

    CommandSearchPage(ConsoleQueries queries) {
        this.queries = queries;
    }

    Response show(Request request) throws SQLException {
        var term = request.param("q");
        var status = request.param("status");
        if (status != null) {
            CommandStatus.fromWireName(status);
        }
        List<ConsoleQueries.CommandRow> found;
        String caption;
        if (term != null) {
            found = queries.findCommands(term, MOST);
            if (found.size() == 1 && found.get(0).commandId().equals(term)) {
                return Response.redirect(Widgets.url("/command", "id", term));
            }
            caption = found.size() + " command(s) whose id, routing key or campaign is " + term;
        } else {
            found = queries.latestCommands(status, MOST);
            caption = status == null ? "The latest commands" : "The latest " + status + " commands of the last day";
        }
        return Layout.page(request, "Commands")
                .add(
                        form(term, status),
                        Widgets.table(
                                caption,
                                List.of(
                                        "command",
                                        "type",
                                        "status",
                                        "attempts",
                                        "routing key",
                                        "campaign",
                                        "created",
                                        "updated"),
                                rows(found)))
                .response();
    }

    private static Html form(String term, String status) {
        var statuses = new ArrayList<String[]>();
        statuses.add(new String[] {"", "any status"});
        for (var s : CommandStatus.values()) {
            statuses.add(new String[] {s.wireName(), s.wireName()});
        }
        return el("form")
                .attr("method", "get")
                .attr("action", "/commands")
                .attr("role", "search")
                .cls("filter")
                .with(
                        field(
                                "q",
                                "Command id, routing key or campaign id",
                                Widgets.input("q", "search", term).attr("size", 40)),
                        field("status", "Status (latest commands)", Widgets.select("status", status, statuses)),
                        el("div")
                                .cls("field")
                                .with(el("button").attr("type", "submit").text("Find")));
    }

    private static List<List<Html>> rows(List<ConsoleQueries.CommandRow> commands) {
        var rows = new ArrayList<List<Html>>();
        for (var c : commands) {
            rows.add(List.of(
                    Widgets.command(c.commandId()),
                    text(c.type()),
                    badge(c.status()),
                    text(c.attempts()),
                    Widgets.link(Widgets.url("/commands", "q", c.routingKey()), c.routingKey()),
                    c.campaignId() == null
                            ? text("–")
                            : Widgets.link(Widgets.url("/campaign", "id", c.campaignId()), c.campaignId()),
                    time(c.createdAt()),
                    time(c.updatedAt())));
        }
        return rows;
    }
}
