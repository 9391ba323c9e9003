package io.herald.command.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One call to OneAll: method, path below the site URL (with its query), and the payload that is sent
 * as {@code {"request": payload}}, or null for a call without a body.
 */
public record Call(String method, String path, JsonNode payload) {
    /** Whether making it twice has no further effect: only reads. */
    public boolean idempotent() {
        return method.equals("GET");
    }

    /** The endpoint family for metrics: {@code sharing}, {@code push} or {@code tools}. */
    public String family() {
        var second = path.indexOf('/', 1);
        return second < 0 ? path.substring(1) : path.substring(1, second);
    }

    /**
     * The path as a template, its tokens and ids named, not given, and without its query: what a trace may say of the
     * call ({@code url.template}), e.g. {@code /push/identities/{identity_token}/facebook/post.json}.
     */
    public String template() {
        int query = path.indexOf('?');
        var bare = query < 0 ? path : path.substring(0, query);
        if (bare.startsWith(MESSAGE)) {
            return MESSAGE + "{sharing_message_token}.json";
        }
        if (!bare.startsWith(IDENTITY)) {
            return bare;
        }
        var segments = bare.substring(IDENTITY.length()).split("/", -1);
        var template = new StringBuilder(IDENTITY).append("{identity_token}");
        for (int i = 1; i < segments.length; i++) {
            boolean id =
                    i < segments.length - 1 && (segments[i - 1].equals("board") || segments[i - 1].equals("playlist"));
            template.append('/').append(id ? "{" + segments[i - 1] + "_id}" : segments[i]);
        }
        return template.toString();
    }

    private static final String MESSAGE = "/sharing/messages/";
    private static final String IDENTITY = "/push/identities/";
}
