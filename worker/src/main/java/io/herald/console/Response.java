package io.herald.console;

/** What a page answers: an HTML document with its status, or a redirect (after a change, so a reload repeats nothing). */
record Response(int status, String body, String location, String newSessionId) {

    static Response html(int status, String document) {
        return new Response(status, document, null, null);
    }

    /** A 303: the browser asks for {@code location} with a GET. */
    static Response redirect(String location) {
        return new Response(303, "", location, null);
    }

    /** This response, moving the browser to another session (its cookie). */
    Response withSession(String sessionId) {
        return new Response(status, body, location, sessionId);
    }
}
