package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Widgets.field;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in with the operator token (once per session; the token is compared, never kept or shown) and out. The name
 * given is recorded with each change, e.g. {@code replayed_by = console:alice}.
 */
final class SignInPage {
    private static final Logger log = LoggerFactory.getLogger(SignInPage.class);

    private final Sessions sessions;
    private final SignInThrottle throttle;

    SignInPage(Sessions sessions, SignInThrottle throttle) {
        this.sessions = sessions;
        this.throttle = throttle;
    }

    Response form(Request request) {
        var page = Layout.page(request, "Sign in");
        if (request.readOnly()) {
            return page.add(
                            Widgets.note(
                                    "The console is read-only: HERALD_CONSOLE_TOKEN is not set, so there is nothing to sign in to."))
                    .response();
        }
        if (request.operator() == null && request.param("signed-out") != null) {
            page.add(Widgets.note("Signed out: this browser's session has ended."));
        }
        return page.add(el("form")
                        .attr("method", "post")
                        .attr("action", "/login")
                        .cls("stacked")
                        .with(
                                Widgets.csrf(request),
                                field(
                                        "token",
                                        "Operator token (HERALD_CONSOLE_TOKEN)",
                                        Widgets.input("token", "password", null)
                                                .attr("autocomplete", "current-password")
                                                .flag("required", true)),
                                field(
                                        "name",
                                        "Your name, recorded with your changes",
                                        Widgets.input("name", "text", null)
                                                .attr("autocomplete", "username")
                                                .attr("maxlength", 40)),
                                el("button").attr("type", "submit").text("Sign in")))
                .response();
    }

    /**
     * Signs in with the operator token, unless this client gave too many wrong ones lately: then 429 and
     * {@code Retry-After}, whatever the token.
     */
    Response signIn(Request request) {
        var wait = throttle.attempt(request.client());
        if (!wait.isZero()) {
            return Layout.page(request, "Sign in")
                    .status(429)
                    .add(Widgets.warning("Too many wrong operator tokens came from your address: its sign-ins are"
                            + " refused for " + Response.seconds(wait) + " s; the token given was not checked."))
                    .response()
                    .retryAfter(wait);
        }
        if (!sessions.isOperatorToken(request.param("token"))) {
            log.warn("console: a sign-in from {} gave a wrong operator token", request.client());
            return Layout.page(request, "Sign in")
                    .status(403)
                    .add(Widgets.warning("That is not the operator token."))
                    .add(el("p").with(Widgets.link("/login", "Try again")))
                    .response();
        }
        throttle.succeeded(request.client());
        var name = request.param("name") == null ? "" : request.param("name").replaceAll("[^A-Za-z0-9._@-]", "");
        // A new session (new cookie, new CSRF token) for the operator, so that a session id known before signing in is
        // worth nothing.
        var session = sessions.signIn(
                request.session(), name.isEmpty() ? "operator" : name.substring(0, Math.min(40, name.length())));
        session.flash("Signed in: changes are allowed in this browser session.");
        return Response.redirect("/").withSession(session.id);
    }

    /** Ends the session, whose previews go with it; the browser is a visitor again, with a new cookie. */
    Response signOut(Request request) {
        var visitor = sessions.signOut(request.session());
        return Response.redirect("/login?signed-out=yes").withSession(visitor.id);
    }
}
