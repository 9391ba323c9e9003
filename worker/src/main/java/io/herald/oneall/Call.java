package io.herald.oneall;

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
}
