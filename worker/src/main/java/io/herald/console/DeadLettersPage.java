package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;
import static io.herald.console.Widgets.section;

import io.herald.config.HeraldConfig;
import io.herald.route.Replay;
import io.herald.store.ConsoleQueries;
import io.herald.store.DeadLetterStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Dead letters, grouped and filtered, and their replay: always a dry run first (what is sent again, what is skipped and
 * why, a warning on {@code unknown-outcome} letters), then a confirmation that replays exactly the letters that dry
 * run showed as sent, once. The replay itself is {@code herald replay}'s.
 */
final class DeadLettersPage {
    static final int MOST_SHOWN = 200;
    static final int MOST_REPLAYED = 500;
    private static final int REPLAY_RATE = 500;

    private final DeadLetterStore store;
    private final ConsoleQueries queries;
    private final HeraldConfig config;

    DeadLettersPage(DeadLetterStore store, ConsoleQueries queries, HeraldConfig config) {
        this.store = store;
        this.queries = queries;
        this.config = config;
    }

    Response list(Request request) throws SQLException {
        var filter = LetterFilter.from(request);
        var letters = store.find(filter.filter(), MOST_SHOWN);
        var page = Layout.page(request, "Dead letters")
                .add(
                        section("Groups", groups()),
                        section("Filter", filter.form()),
                        section(
                                "Dead letters",
                                DeadLetterTable.of(letters, true),
                                letters.size() == MOST_SHOWN
                                        ? Widgets.note("The first " + MOST_SHOWN
                                                + " only: narrow the filter to see the others.")
                                        : Html.EMPTY));
        if (request.operator() != null) {
            var form = el("form")
                    .attr("method", "post")
                    .attr("action", "/dead-letters/preview")
                    .with(Widgets.csrf(request))
                    .with(filter.hiddenFields())
                    .with(el("button").attr("type", "submit").text("Preview a replay of these dead letters"));
            page.add(section(
                    "Replay",
                    Widgets.note("A replay first shows its dry run; nothing is sent until you confirm it."),
                    form));
        } else {
            page.add(section(
                    "Replay",
                    Widgets.note(
                            request.readOnly()
                                    ? "Replays need HERALD_CONSOLE_TOKEN to be set."
                                    : "Sign in with the operator token to replay dead letters.")));
        }
        return page.response();
    }

    private Html groups() throws SQLException {
        var rows = new ArrayList<List<Html>>();
        for (var group : queries.deadLetterGroups()) {
            rows.add(List.of(
                    Widgets.badge(group.errorClass()),
                    text(group.type()),
                    Widgets.link(
                            Widgets.url("/dead-letters", "class", group.errorClass(), "type", group.type()),
                            group.open()),
                    text(group.total()),
                    Widgets.time(group.latest())));
        }
        return Widgets.table(
                "Dead letters by class and command type",
                List.of("class", "type", "not replayed", "all", "latest"),
                rows);
    }

    /** The dry run: nothing is sent; the letters it would send are kept in the session for the confirmation. */
    Response preview(Request request) throws SQLException {
        var filter = LetterFilter.from(request);
        var letters = store.find(filter.filter(), MOST_REPLAYED);
        var steps = Replay.plan(letters);
        var sent = steps.stream()
                .filter(step -> !step.skipped())
                .map(step -> step.letter().id())
                .toList();
        long unknownOutcomes = steps.stream()
                .filter(step -> !step.skipped() && DeadLetterTable.warns(step.letter()))
                .count();
        var page = Layout.page(request, "Replay preview (dry run)")
                .add(el("p").cls("summary")
                        .text(sent.size() + " dead letter(s) will be sent again; " + (steps.size() - sent.size())
                                + " will be skipped. Nothing has been sent yet."));
        if (letters.size() == MOST_REPLAYED) {
            page.add(Widgets.note("A replay from the console takes " + MOST_REPLAYED
                    + " dead letters at most: narrow the filter or use" + " herald replay for the others."));
        }
        if (unknownOutcomes > 0) {
            page.add(Widgets.warning(unknownOutcomes
                    + " of them are unknown-outcome: OneAll may have carried out their call already, and"
                    + " replaying them may post twice."));
        }
        page.add(section("What the replay would do", DeadLetterTable.of(letters, true)));
        if (config.kafka().bootstrapServers() == null) {
            page.add(Widgets.warning("Replays need KAFKA_BOOTSTRAP_SERVERS: this console was started without it."));
        } else if (!sent.isEmpty()) {
            var previewId = request.session()
                    .keep(new Session.Preview(sent, filter.filter().includeReplayed()));
            page.add(el("form")
                    .attr("method", "post")
                    .attr("action", "/dead-letters/replay")
                    .with(
                            Widgets.csrf(request),
                            Widgets.hidden("preview", previewId),
                            el("button")
                                    .attr("type", "submit")
                                    .cls(unknownOutcomes > 0 ? "danger" : null)
                                    .text("Replay these " + sent.size() + " dead letter(s)")));
        }
        return page.add(el("p").with(Widgets.link(filter.listUrl(), "Back to the dead letters, nothing sent")))
                .response();
    }

    /** Replays the letters of one dry run (those still not replayed), once; a second confirmation of it replays nothing. */
    Response replay(Request request) throws Exception {
        var preview = request.session().take(request.param("preview"));
        if (preview == null) {
            return Layout.error(
                    request,
                    409,
                    "Nothing replayed",
                    "This dry run was replayed already or has expired; preview the replay again.");
        }
        var letters = store.findByIds(preview.deadLetterIds(), preview.again());
        var steps = new Replay(store, config, false, REPLAY_RATE, request.actor()).replay(letters, step -> {});
        long skipped = steps.stream().filter(Replay.Step::skipped).count();
        int leftAlone = preview.deadLetterIds().size() - letters.size();
        var page = Layout.page(request, "Replay done")
                .add(el("p").cls("summary")
                        .attr("role", "status")
                        .text("Replayed " + (steps.size() - skipped) + " dead letter(s); skipped " + skipped + "."
                                + (leftAlone > 0
                                        ? " " + leftAlone
                                                + " had been replayed by someone else meanwhile and were left alone."
                                        : "")));
        page.add(section(
                "The replayed dead letters",
                DeadLetterTable.of(store.findByIds(preview.deadLetterIds(), true), false)));
        return page.add(el("p").with(Widgets.link(
                        Widgets.url("/dead-letters", "replayed", "on"), "All dead letters, replayed ones included")))
                .response();
    }
}
