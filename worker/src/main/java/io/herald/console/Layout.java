package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;

import java.util.ArrayList;
import java.util.List;

/** The frame of every page: head, navigation, who is signed in, a message left by the last change, the content. */
final class Layout {
    private static final List<String[]> NAVIGATION = List.of(
            new String[] {"/", "Overview"},
            new String[] {"/commands", "Commands"},
            new String[] {"/dead-letters", "Dead letters"},
            new String[] {"/campaigns", "Campaigns"},
            new String[] {"/identities", "Identities"});

    private final Request request;
    private final String title;
    private final List<Html> content = new ArrayList<>();
    private int status = 200;
    private int refreshSeconds;

    private Layout(Request request, String title) {
        this.request = request;
        this.title = title;
    }

    /** A page whose main heading is {@code title}. */
    static Layout page(Request request, String title) {
        return new Layout(request, title);
    }

    /** A page that says why a request failed. */
    static Response error(Request request, int status, String title, String why) {
        return page(request, title)
                .status(status)
                .add(el("p").text(why), el("p").with(Widgets.link("/", "Back to the overview")))
                .response();
    }

    /** The answer to a change that is not allowed: 403, and nothing changed. */
    static Response refused(Request request, String why) {
        return page(request, "Refused")
                .status(403)
                .add(
                        el("p").cls("warning").attr("role", "alert").text(why + " Nothing was changed."),
                        el("p").with(Widgets.link("/login", "Sign in"), text(" · "), Widgets.link("/", "Overview")))
                .response();
    }

    Layout status(int code) {
        this.status = code;
        return this;
    }

    /** The page reloads itself every {@code seconds} (a meta refresh: no script). */
    Layout refreshEvery(int seconds) {
        this.refreshSeconds = seconds;
        return this;
    }

    Layout add(Html... parts) {
        content.addAll(List.of(parts));
        return this;
    }

    Layout add(List<? extends Html> parts) {
        content.addAll(parts);
        return this;
    }

    Response response() {
        var head = el("head")
                .with(
                        el("meta").attr("charset", "utf-8"),
                        el("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1"),
                        el("title").text(title + " · Herald console"),
                        el("link").attr("rel", "stylesheet").attr("href", "/console.css"));
        if (refreshSeconds > 0) {
            head.with(el("meta").attr("http-equiv", "refresh").attr("content", refreshSeconds));
        }
        var main = el("main").attr("id", "main").with(el("h1").text(title));
        var flash = request.session().takeFlash();
        if (flash != null) {
            main.with(el("p").cls("flash").attr("role", "status").text(flash));
        }
        main.with(content);
        var body = el("body").with(header(), main, el("footer").with(footer()));
        return Response.html(status, Html.document(el("html").attr("lang", "en").with(head, body)));
    }

    private Html header() {
        var links = el("ul");
        for (var item : NAVIGATION) {
            boolean current = item[0].equals("/")
                    ? request.path().equals("/")
                    : request.path().startsWith(item[0])
                            || (item[0].equals("/commands") && request.path().equals("/command"))
                            || (item[0].equals("/campaigns") && request.path().startsWith("/campaign"));
            links.with(el("li").with(el("a").attr("href", item[0])
                    .attr("aria-current", current ? "page" : null)
                    .text(item[1])));
        }
        return el("header")
                .with(
                        el("a").cls("skip").attr("href", "#main").text("Skip to content"),
                        el("nav")
                                .attr("aria-label", "Console")
                                .with(el("span").cls("brand").text("Herald"), links),
                        operatorArea());
    }

    private Html operatorArea() {
        var area = el("div").cls("operator");
        if (request.readOnly()) {
            return area.with(el("span").cls("badge").text("read-only"), text(" HERALD_CONSOLE_TOKEN is not set"));
        }
        if (request.operator() == null) {
            return area.with(el("a").attr("href", "/login").text("Sign in to make changes"));
        }
        return area.with(
                text("Signed in as " + request.operator() + " "),
                Widgets.postForm(request, "/logout", "Sign out", "secondary"));
    }

    private Html footer() {
        return text(
                request.readOnly()
                        ? "Read-only console: set HERALD_CONSOLE_TOKEN to replay, cancel or resume."
                        : "Every change asks for the operator token and is recorded with the operator's name.");
    }
}
