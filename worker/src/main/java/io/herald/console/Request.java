package io.herald.console;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * One request as a page sees it: its path, its parameters (query and form alike), the browser's session, whether the
 * console is read-only (no operator token configured), and the client it came from ({@link SignInThrottle#client}).
 */
record Request(
        String method, String path, MultiMap query, MultiMap form, Session session, boolean readOnly, String client) {

    /** A parameter, trimmed; null when absent or blank. The query wins over the form. */
    String param(String name) {
        var value = query.get(name);
        if (value == null && form != null) {
            value = form.get(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Every non-blank value of a parameter, from the query and the form. */
    List<String> params(String name) {
        var values = new java.util.ArrayList<String>(query.getAll(name));
        if (form != null) {
            values.addAll(form.getAll(name));
        }
        return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /** The signed-in operator's name, or null. */
    String operator() {
        return session.operator();
    }

    /** Who a change is recorded as made by, in {@code replayed_by} or {@code resumed_by}. */
    String actor() {
        return "console:" + session.operator();
    }
}
