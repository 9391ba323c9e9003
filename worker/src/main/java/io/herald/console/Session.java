package io.herald.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One browser's session ({@link Sessions}): a signed-in operator's, kept until it ends, or a visitor's, made again
 * from its cookie at each request; a visitor's messages and previews last for its request only, and it has none.
 */
final class Session {
    final String id;
    final String csrfToken;
    private final String operator;
    volatile Instant lastSeen;
    private volatile String flash;
    private final Map<String, Preview> previews = new LinkedHashMap<>();

    /** A replay dry run shown to an operator: the dead letters that its confirmation replays, and nothing else. */
    record Preview(List<Long> deadLetterIds, boolean again) {}

    Session(String id, String csrfToken, String operator, Instant now) {
        this.id = id;
        this.csrfToken = csrfToken;
        this.operator = operator;
        this.lastSeen = now;
    }

    /** Whether a form carried this session's CSRF token back, compared in constant time. */
    boolean carries(String csrf) {
        return csrf != null
                && MessageDigest.isEqual(
                        csrfToken.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8));
    }

    /** The operator's name when signed in, else null. */
    String operator() {
        return operator;
    }

    /** A message for the next page shown (after a redirect). */
    void flash(String message) {
        flash = message;
    }

    String takeFlash() {
        var message = flash;
        flash = null;
        return message;
    }

    /** Keeps a preview (the last few only) and returns its id. */
    String keep(Preview preview) {
        var previewId = Sessions.randomToken();
        synchronized (previews) {
            previews.put(previewId, preview);
            while (previews.size() > 5) {
                previews.remove(previews.keySet().iterator().next());
            }
        }
        return previewId;
    }

    /** The preview of this id, once: a second confirmation of the same preview replays nothing. */
    Preview take(String previewId) {
        synchronized (previews) {
            return previewId == null ? null : previews.remove(previewId);
        }
    }
}
