package io.herald.console;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's paths and the rules every request passes: a session cookie, and for a POST the session's CSRF token
 * from the form, a same-origin {@code Origin} when the browser sends one, and (but for signing in) a signed-in
 * operator. A POST that fails any of them is answered 403 before its page runs, so it changes nothing. Pages run on
 * Vert.x's worker threads, since they read PostgreSQL with JDBC.
 */
final class Routes {
    private static final Logger log = LoggerFactory.getLogger(Routes.class);

    /** A page: a request in, a response out. */
    interface Page {
        Response handle(Request request) throws Exception;
    }

    private record Post(Page page, boolean operatorOnly) {}

    private final Vertx vertx;
    private final Sessions sessions;
    private final Map<String, Page> gets = new HashMap<>();
    private final Map<String, Post> posts = new HashMap<>();
    private final String stylesheet;

    Routes(Vertx vertx, Sessions sessions, String stylesheet) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.stylesheet = stylesheet;
    }

    Routes get(String path, Page page) {
        gets.put(path, page);
        return this;
    }

    /** A POST that only a signed-in operator may make. */
    Routes change(String path, Page page) {
        posts.put(path, new Post(page, true));
        return this;
    }

    /** A POST anyone with the session's CSRF token may make (signing in and out). */
    Routes post(String path, Page page) {
        posts.put(path, new Post(page, false));
        return this;
    }

    void serve(HttpServerRequest http) {
        var cookie = http.getCookie(Sessions.COOKIE);
        var session = sessions.find(cookie == null ? null : cookie.getValue());
        if (cookie == null || !cookie.getValue().equals(session.id)) {
            setCookie(http, session.id);
        }
        secureHeaders(http);
        if (http.method() == HttpMethod.GET && http.path().equals("/console.css")) {
            http.response()
                    .putHeader("Content-Type", "text/css; charset=utf-8")
                    .putHeader("Cache-Control", "max-age=300")
                    .end(stylesheet);
            return;
        }
        if (http.method() == HttpMethod.POST) {
            http.setExpectMultipart(true);
            http.end()
                    .onSuccess(done -> dispatch(http, session, http.formAttributes()))
                    .onFailure(failure -> http.response().setStatusCode(400).end());
        } else {
            dispatch(http, session, null);
        }
    }

    private void dispatch(HttpServerRequest http, Session session, MultiMap form) {
        var remote = http.remoteAddress();
        var request = new Request(
                http.method().name(),
                http.path(),
                http.params(),
                form,
                session,
                sessions.readOnly(),
                SignInThrottle.client(remote == null ? null : remote.hostAddress()));
        Page page;
        if (http.method() == HttpMethod.GET || http.method() == HttpMethod.HEAD) {
            page = gets.getOrDefault(http.path(), Routes::notFound);
        } else if (http.method() == HttpMethod.POST && posts.containsKey(http.path())) {
            var post = posts.get(http.path());
            var refusal = refusal(http, request, post.operatorOnly());
            page = refusal == null ? post.page() : r -> Layout.refused(r, refusal);
        } else {
            page = r -> Layout.error(r, 405, "Method not allowed", "This path does not take a " + r.method() + ".");
        }
        vertx.executeBlocking(() -> run(page, request), false).onComplete(result -> {
            var response =
                    result.succeeded() ? result.result() : Layout.error(request, 500, "Error", "The page failed.");
            if (response.newSessionId() != null) {
                setCookie(http, response.newSessionId());
            }
            if (response.retryAfterSeconds() > 0) {
                http.response().putHeader("Retry-After", Long.toString(response.retryAfterSeconds()));
            }
            if (response.location() != null) {
                http.response()
                        .setStatusCode(response.status())
                        .putHeader("Location", response.location())
                        .end();
            } else {
                http.response()
                        .setStatusCode(response.status())
                        .putHeader("Content-Type", "text/html; charset=utf-8")
                        .end(response.body());
            }
        });
    }

    private static Response run(Page page, Request request) {
        try {
            return page.handle(request);
        } catch (IllegalArgumentException e) {
            return Layout.error(request, 400, "Bad request", e.getMessage());
        } catch (java.sql.SQLException e) {
            log.warn("a console page could not read the database (SQL state {})", e.getSQLState(), e);
            return Layout.error(
                    request,
                    503,
                    "Database unavailable",
                    "The console could not read PostgreSQL (SQL state " + e.getSQLState()
                            + "); its log says more. Try again in a moment.");
        } catch (Exception e) {
            log.warn("a console page failed: {}", request.path(), e);
            return Layout.error(
                    request,
                    500,
                    "Error",
                    "The page failed (" + e.getClass().getSimpleName() + "); the console's log says more.");
        }
    }

    /** Why a POST is refused, or null when it may go on. */
    private String refusal(HttpServerRequest http, Request request, boolean operatorOnly) {
        var origin = http.getHeader("Origin");
        var host = http.getHeader("Host");
        if (origin != null
                && !origin.equals("null")
                && (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host)))) {
            return "The form came from another site (" + origin + ").";
        }
        if (operatorOnly && request.readOnly()) {
            return "The console is read-only: HERALD_CONSOLE_TOKEN is not set.";
        }
        if (!request.session().carries(request.param("csrf"))) {
            return "The form carried no valid CSRF token for this session (reload the page and try again).";
        }
        if (operatorOnly && request.operator() == null) {
            return "Changes need the operator token: sign in first.";
        }
        return null;
    }

    private static void setCookie(HttpServerRequest http, String sessionId) {
        http.response()
                .addCookie(Cookie.cookie(Sessions.COOKIE, sessionId)
                        .setPath("/")
                        .setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT)
                        .setMaxAge(Sessions.IDLE.toSeconds()));
    }

    private static void secureHeaders(HttpServerRequest http) {
        http.response()
                .putHeader(
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
                                + " frame-ancestors 'none'; base-uri 'none'")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-store");
    }

    private static Response notFound(Request request) {
        return Layout.error(request, 404, "Not found", "The console has no page " + request.path() + ".");
    }
}
