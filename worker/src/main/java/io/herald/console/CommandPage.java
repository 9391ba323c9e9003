package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;
import static io.herald.console.JsonText.text;
import static io.herald.console.Widgets.badge;
import static io.herald.console.Widgets.facts;
import static io.herald.console.Widgets.link;
import static io.herald.console.Widgets.section;
import static io.herald.console.Widgets.table;
import static io.herald.console.Widgets.time;
import static io.herald.console.Widgets.url;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.command.CommandStatus;
import io.herald.store.CommandRecords;
import io.herald.store.ConsoleQueries;
import io.herald.store.DeadLetterStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One command: its status, every attempt with OneAll's answer, what OneAll made of it (publications, post, short URLs,
 * messages), its dead letters, the command as submitted while the ledger keeps it, and its outcome events.
 */
final class CommandPage {
    private final DataSource dataSource;
    private final ConsoleQueries queries;
    private final DeadLetterStore deadLetters;
    private final OutcomeTrail outcomes;

    CommandPage(DataSource dataSource, ConsoleQueries queries, String outcomesTopic) {
        this.dataSource = dataSource;
        this.queries = queries;
        this.deadLetters = new DeadLetterStore(dataSource);
        this.outcomes = new OutcomeTrail(queries, outcomesTopic);
    }

    Response show(Request request) throws SQLException {
        var commandId = request.param("id");
        if (commandId == null) {
            return Response.redirect("/commands");
        }
        var found = CommandRecords.find(dataSource, commandId);
        if (found.isEmpty()) {
            return withoutRow(request, commandId);
        }
        var command = found.get();
        var page = Layout.page(request, "Command " + commandId);
        if (CommandStatus.PENDING.is(text(command, "status")) || CommandStatus.IN_FLIGHT.is(text(command, "status"))) {
            page.refreshEvery(5);
        }
        return page.add(
                        summary(command),
                        attempts(command),
                        results(command),
                        messages(commandId),
                        letters(command),
                        submitted(commandId),
                        outcomes.section(command))
                .response();
    }

    /** A record that never made it into the ledger (not JSON, or no valid id) may still have dead letters under its id. */
    private Response withoutRow(Request request, String commandId) throws SQLException {
        var letters = deadLetters.find(
                new DeadLetterStore.Filter(null, null, null, null, null, List.of(commandId), true), 50);
        var page = Layout.page(request, "Command " + commandId)
                .status(letters.isEmpty() ? 404 : 200)
                .add(Widgets.note("The ledger has no row for this command id."));
        if (!letters.isEmpty()) {
            page.add(section("Dead letters", DeadLetterTable.of(letters, false)));
            page.add(section(
                    "The record as submitted",
                    Widgets.pre(JsonText.pretty(letters.get(letters.size() - 1).value()))));
        }
        return page.response();
    }

    private Html summary(ObjectNode command) {
        var waiting = text(command, "waiting_until");
        var source = text(command, "source_topic") == null
                ? null
                : text(command, "source_topic") + " partition " + text(command, "source_partition") + " offset "
                        + text(command, "source_offset");
        var routingKey = text(command, "routing_key");
        var campaign = text(command, "campaign_id");
        return section(
                "Status",
                facts(
                        "Status",
                        badge(text(command, "status")),
                        "Type",
                        text(command, "type"),
                        "Attempts",
                        text(command, "attempts"),
                        "Routing key",
                        routingKey == null ? null : link(url("/commands", "q", routingKey), routingKey),
                        "Campaign",
                        campaign == null ? null : link(url("/campaign", "id", campaign), campaign),
                        "Push endpoint",
                        text(command, "endpoint"),
                        "Created",
                        time(text(command, "created_at")),
                        "Updated",
                        time(text(command, "updated_at")),
                        "Last error",
                        text(command, "last_error") == null
                                ? null
                                : text(command, "last_error_class") + ": " + text(command, "last_error"),
                        "Waiting until",
                        waiting == null ? null : time(waiting),
                        "Claimed by",
                        text(command, "claimed_by"),
                        "Consumed from",
                        source),
                metadata(command.path("metadata")));
    }

    private static Html metadata(JsonNode metadata) {
        if (!metadata.isObject() || metadata.isEmpty()) {
            return Html.EMPTY;
        }
        var rows = new ArrayList<List<Html>>();
        metadata.properties()
                .forEach(e ->
                        rows.add(List.of(text(e.getKey()), text(e.getValue().asText()))));
        return table("Metadata", List.of("key", "value"), rows);
    }

    private static Html attempts(ObjectNode command) {
        var rows = new ArrayList<List<Html>>();
        for (var attempt : command.path("attempt_history")) {
            var raw = attempt.has("raw_answer_base64") ? " (the answer was sanitised before it was stored)" : "";
            rows.add(List.of(
                    text(text(attempt, "attempt")),
                    time(text(attempt, "started_at")),
                    text(text(attempt, "duration_ms")),
                    text(orDash(text(attempt, "http_status"), "no answer")),
                    text(orDash(text(attempt, "oneall_flag"), "–")),
                    text(orDash(text(attempt, "oneall_info"), "–") + raw),
                    badge(orDash(text(attempt, "error_class"), "ok")),
                    text(orDash(text(attempt, "error"), "–")),
                    el("span").cls("mono").text(text(attempt, "worker_id"))));
        }
        return section(
                "Attempts",
                table(
                        "Every call made to OneAll for this command",
                        List.of(
                                "attempt",
                                "started",
                                "ms",
                                "HTTP status",
                                "OneAll flag",
                                "OneAll info",
                                "class",
                                "error",
                                "worker"),
                        rows));
    }

    private static Html results(ObjectNode command) {
        var parts = new ArrayList<Html>();
        var push = command.path("push_result");
        if (push.isObject()) {
            var location = text(push, "post_location");
            parts.add(facts(
                    "Provider",
                    text(push, "provider"),
                    "Object",
                    text(push, "object"),
                    "Post id",
                    text(push, "post_id"),
                    "Post location",
                    location == null ? null : Html.safeUrl(location) ? link(location, location) : text(location)));
        }
        var publications = new ArrayList<List<Html>>();
        for (var p : command.path("publications")) {
            publications.add(List.of(
                    text(text(p, "provider")),
                    el("span").cls("mono").text(text(p, "identity_token")),
                    text(text(p, "status_flag")),
                    text(text(p, "status_code")),
                    time(text(p, "date_publication")),
                    el("span").cls("mono").text(text(p, "sharing_message_token")),
                    text(text(p, "referrals"))));
        }
        parts.add(table(
                "Publications recorded",
                List.of("provider", "identity", "flag", "code", "published", "message", "referrals"),
                publications));
        var urls = new ArrayList<List<Html>>();
        for (var u : command.path("short_urls")) {
            var shortUrl = text(u, "short_url");
            urls.add(List.of(
                    shortUrl != null && Html.safeUrl(shortUrl) ? link(shortUrl, shortUrl) : text(shortUrl),
                    text(text(u, "original_url")),
                    text(text(u, "num_referrals"))));
        }
        parts.add(table("Short URLs", List.of("short URL", "original URL", "referrals"), urls));
        var result = command.path("result");
        if (!result.isNull() && !result.isMissingNode()) {
            parts.add(el("details")
                    .with(el("summary").text("OneAll's result, as recorded"), Widgets.pre(JsonText.pretty(result))));
        }
        return section("What OneAll made of it", parts.toArray(Html[]::new));
    }

    private Html messages(String commandId) throws SQLException {
        var rows = new ArrayList<List<Html>>();
        for (var message : queries.messagesOf(commandId)) {
            rows.add(List.of(
                    el("span").cls("mono").text(message.token()),
                    el("span").cls("message").text(JsonText.body(message.partsJson())),
                    time(message.createdAt()),
                    message.deletedAt() == null ? text("–") : time(message.deletedAt())));
        }
        return section(
                "Sharing messages",
                table(
                        "Messages this command created or published",
                        List.of("message token", "text", "created", "deleted"),
                        rows));
    }

    private Html letters(ObjectNode command) throws SQLException {
        var letters = deadLetters.find(
                new DeadLetterStore.Filter(null, null, null, null, null, List.of(text(command, "command_id")), true),
                50);
        return section("Dead letters", DeadLetterTable.of(letters, false));
    }

    private Html submitted(String commandId) throws SQLException {
        var value = queries.commandValue(commandId);
        return section(
                "The command as submitted",
                value.map(v -> Widgets.pre(JsonText.pretty(v)))
                        .orElse(Widgets.note(
                                "The ledger keeps a command's Kafka record only while it waits (parked) or with its dead letter;"
                                        + " this one has neither.")));
    }

    private static String orDash(String value, String otherwise) {
        return value == null ? otherwise : value;
    }
}
