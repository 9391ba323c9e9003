package io.herald.console;

import java.time.Duration;

/**
 * What a page answers: an HTML document with its status, or a redirect (after a change, so a reload repeats nothing);
 * {@code retryAfterSeconds} above 0 is sent as {@code Retry-After}.
 */
record Response(int status, String body, String location, String newSessionId, long retryAfterSeconds) {

    static Response html(int status, String document) {
        return new Response(status, document, null, null, 0);
    }

    /** A 303: the browser asks for {@code location} with a GET. */
    static Response redirect(String location) {
        return new Response(303, "", location, null, 0);
    }

    /** This response, moving the browser to another session (its cookie). */
    Response withSession(String sessionId) {
        return new Response(status, body, location, sessionId, retryAfterSeconds);
    }

    /** This response, telling the client to wait {@code wait} before it asks again. */
    Response retryAfter(Duration wait) {
        return new Response(status, body, location, newSessionId, seconds(wait));
    }

    /** {@code wait} in whole seconds, rounded up, at least one: as {@code Retry-After} says it. */
    static long seconds(Duration wait) {
        return Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
    }
}
