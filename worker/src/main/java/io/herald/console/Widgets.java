package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The pieces pages are made of: forms that carry the CSRF token, labelled fields, tables, times, links. */
final class Widgets {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Widgets() {}

    /** The hidden field that proves a form came from a page of this console, in this session. */
    static Html csrf(Request request) {
        return hidden("csrf", request.session().csrfToken);
    }

    static Html hidden(String name, Object value) {
        return el("input").attr("type", "hidden").attr("name", name).attr("value", value);
    }

    /** A form of one button that POSTs {@code hidden} (name, value pairs) with the CSRF token. */
    static Html postForm(Request request, String action, String label, String buttonClass, String... hidden) {
        var form = el("form")
                .attr("method", "post")
                .attr("action", action)
                .cls("inline")
                .with(csrf(request));
        for (int i = 0; i + 1 < hidden.length; i += 2) {
            form.with(hidden(hidden[i], hidden[i + 1]));
        }
        return form.with(el("button").attr("type", "submit").cls(buttonClass).text(label));
    }

    /** A labelled field: {@code control} must carry {@code id}. */
    static Html field(String id, String label, Html control) {
        return el("div").cls("field").with(el("label").attr("for", id).text(label), control);
    }

    static Html.Element input(String id, String type, String value) {
        return el("input").attr("id", id).attr("name", id).attr("type", type).attr("value", value);
    }

    /** A select of {@code options} as (value, label) pairs, {@code selected} chosen. */
    static Html select(String id, String selected, List<String[]> options) {
        var select = el("select").attr("id", id).attr("name", id);
        for (var option : options) {
            select.with(el("option")
                    .attr("value", option[0])
                    .flag("selected", option[0].equals(selected == null ? "" : selected))
                    .text(option[1]));
        }
        return select;
    }

    /** A table with a caption (for screen readers and people alike), header cells and rows of cells. */
    static Html table(String caption, List<String> headers, List<List<Html>> rows) {
        var head = el("tr");
        headers.forEach(h -> head.with(el("th").attr("scope", "col").text(h)));
        var body = el("tbody");
        for (var row : rows) {
            var tr = el("tr");
            row.forEach(cell -> tr.with(el("td").with(cell)));
            body.with(tr);
        }
        if (rows.isEmpty()) {
            body.with(el("tr").with(el("td").attr("colspan", headers.size())
                    .cls("empty")
                    .text("none")));
        }
        return el("div")
                .cls("table")
                .with(el("table").with(el("caption").text(caption), el("thead").with(head), body));
    }

    /** Rows of (label, value) pairs, as a definition list. */
    static Html facts(Object... labelsAndValues) {
        var list = el("dl").cls("facts");
        for (int i = 0; i + 1 < labelsAndValues.length; i += 2) {
            var value = labelsAndValues[i + 1];
            list.with(
                    el("dt").text(labelsAndValues[i]),
                    el("dd").with(value instanceof Html html ? html : text(value == null ? "–" : value)));
        }
        return list;
    }

    /** An instant as a {@code time} element, with how long ago it was. */
    static Html time(Instant at) {
        if (at == null) {
            return text("–");
        }
        return el("time").attr("datetime", at.toString()).attr("title", ago(at)).text(TIME.format(at));
    }

    static Html time(String iso) {
        return iso == null || iso.isEmpty() ? text("–") : time(Instant.parse(iso));
    }

    static String ago(Instant at) {
        var age = Duration.between(at, Instant.now());
        if (age.isNegative()) {
            return "in " + words(age.negated());
        }
        return words(age) + " ago";
    }

    private static String words(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        return seconds < 172_800 ? seconds / 3600 + " h" : seconds / 86_400 + " days";
    }

    /** A command status or class as a badge (its word, so colour is never the only sign). */
    static Html badge(String word) {
        return word == null
                ? text("–")
                : el("span").cls("badge " + word.replaceAll("[^a-z_-]", "")).text(word);
    }

    static Html link(String href, Object label) {
        return el("a").attr("href", href).text(label);
    }

    /** A link to a command's page. */
    static Html command(String commandId) {
        return commandId == null
                ? text("–")
                : el("a").cls("mono")
                        .attr("href", url("/command", "id", commandId))
                        .text(commandId);
    }

    /** A console path with query parameters (name, value pairs; null values left out), each encoded. */
    static String url(String path, String... namesAndValues) {
        var parts = new ArrayList<String>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                parts.add(namesAndValues[i] + "=" + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
            }
        }
        return parts.isEmpty() ? path : path + "?" + String.join("&", parts);
    }

    /** Text shown as it is, in a monospaced block (a command's JSON, an error). */
    static Html pre(String text) {
        return el("pre").text(text);
    }

    static Html note(String text) {
        return el("p").cls("note").text(text);
    }

    static Html warning(String text) {
        return el("p").cls("warning").attr("role", "alert").text(text);
    }

    static Html section(String heading, Html... content) {
        var id = heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return el("section")
                .attr("aria-labelledby", id)
                .with(el("h2").attr("id", id).text(heading))
                .with(content);
    }
}
