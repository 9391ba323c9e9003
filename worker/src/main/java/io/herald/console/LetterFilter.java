package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Widgets.field;
import static io.herald.console.Widgets.input;

import io.herald.route.Replay;
import io.herald.schema.CommandType;
import io.herald.store.DeadLetterStore;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The dead-letter filter of the page's form: class, command type, campaign, command id, a time range (UTC), replayed
 * ones or not. Without a class it takes every class but {@code unknown-outcome}, as {@code herald replay} does:
 * letters whose call OneAll may have carried out are shown, and replayed, only when that class is asked for by name.
 */
record LetterFilter(
        String errorClass, String type, String campaign, String command, String from, String to, boolean replayed) {
    private static final List<String> CLASSES =
            List.of("invalid", "permanent", "exhausted", "credentials", "unknown-outcome", "conflict");

    static LetterFilter from(Request request) {
        var errorClass = request.param("class");
        if (errorClass != null && !CLASSES.contains(errorClass)) {
            throw new IllegalArgumentException("No dead letter has the class " + errorClass + ".");
        }
        var type = request.param("type");
        if (type != null
                && !type.equals("unknown")
                && CommandType.fromWireName(type).isEmpty()) {
            throw new IllegalArgumentException("No command has the type " + type + ".");
        }
        return new LetterFilter(
                errorClass,
                type,
                request.param("campaign"),
                request.param("command"),
                request.param("from"),
                request.param("to"),
                request.param("replayed") != null);
    }

    DeadLetterStore.Filter filter() {
        return new DeadLetterStore.Filter(
                instant("from", from),
                instant("to", to),
                Replay.classes(errorClass == null ? null : List.of(errorClass)),
                type,
                campaign,
                command == null ? null : List.of(command),
                replayed);
    }

    /** A {@code datetime-local} value, read as UTC. */
    private static java.time.Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "The " + name + " time must look like 2026-04-01T12:00, not " + value + ".");
        }
    }

    Html form() {
        var classes = new ArrayList<String[]>();
        classes.add(new String[] {"", "every class but unknown-outcome"});
        CLASSES.forEach(c -> classes.add(new String[] {c, c}));
        var types = new ArrayList<String[]>();
        types.add(new String[] {"", "every type"});
        Arrays.stream(CommandType.values()).forEach(t -> types.add(new String[] {t.wireName(), t.wireName()}));
        types.add(new String[] {"unknown", "unknown (not a command)"});
        return el("form")
                .attr("method", "get")
                .attr("action", "/dead-letters")
                .cls("filter")
                .with(
                        field("class", "Error class", Widgets.select("class", errorClass, classes)),
                        field("type", "Command type", Widgets.select("type", type, types)),
                        field("campaign", "Campaign id", input("campaign", "text", campaign)),
                        field("command", "Command id", input("command", "text", command)),
                        field("from", "Failed from (UTC)", input("from", "datetime-local", from)),
                        field("to", "Failed before (UTC)", input("to", "datetime-local", to)),
                        el("div")
                                .cls("field check")
                                .with(
                                        input("replayed", "checkbox", "on").flag("checked", replayed),
                                        el("label").attr("for", "replayed").text("Include replayed ones")),
                        el("div")
                                .cls("field")
                                .with(el("button").attr("type", "submit").text("Filter")));
    }

    /** The filter as hidden fields, for the preview form. */
    List<Html> hiddenFields() {
        var fields = new ArrayList<Html>();
        String[][] values = {
            {"class", errorClass},
            {"type", type},
            {"campaign", campaign},
            {"command", command},
            {"from", from},
            {"to", to},
            {"replayed", replayed ? "on" : null}
        };
        for (var value : values) {
            if (value[1] != null) {
                fields.add(Widgets.hidden(value[0], value[1]));
            }
        }
        return fields;
    }

    String listUrl() {
        return Widgets.url(
                "/dead-letters",
                "class",
                errorClass,
                "type",
                type,
                "campaign",
                campaign,
                "command",
                command,
                "from",
                from,
                "to",
                to,
                "replayed",
                replayed ? "on" : null);
    }
}
