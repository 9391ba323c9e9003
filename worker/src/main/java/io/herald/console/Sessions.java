package io.herald.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory: each browser gets one (an HttpOnly, SameSite=Strict cookie) with a CSRF token of
 * its own (a synchronizer token that every form carries back), and becomes an operator's once the operator token was
 * entered. A session unused for {@link #IDLE} ends; a console restart ends them all, which only costs a sign-in.
 */
final class Sessions {
    static final String COOKIE = "herald_console";
    static final Duration IDLE = Duration.ofHours(8);
    private static final int MOST = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final byte[] operatorTokenDigest;
    private final Clock clock;

    /** {@code operatorToken}: empty when the console is read-only. */
    Sessions(String operatorToken, Clock clock) {
        this.operatorTokenDigest = operatorToken.isEmpty() ? null : digest(operatorToken);
        this.clock = clock;
    }

    boolean readOnly() {
        return operatorTokenDigest == null;
    }

    /** The session of a cookie's value, or a new one (the caller sets its cookie) when it is unknown or ended. */
    Session find(String cookie) {
        var now = clock.instant();
        var session = cookie == null ? null : sessions.get(cookie);
        if (session != null && session.lastSeen.plus(IDLE).isAfter(now)) {
            session.lastSeen = now;
            return session;
        }
        if (session != null) {
            sessions.remove(cookie);
        }
        if (sessions.size() >= MOST) {
            sessions.values().removeIf(s -> s.lastSeen.plus(IDLE).isBefore(now));
            if (sessions.size() >= MOST) {
                sessions.clear();
            }
        }
        var created = new Session(randomToken(), randomToken(), now);
        sessions.put(created.id, created);
        return created;
    }

    /** A new session for the operator in place of {@code session}, which ends. */
    Session signIn(Session session, String operator) {
        sessions.remove(session.id);
        var signedIn = new Session(randomToken(), randomToken(), clock.instant());
        signedIn.operator = operator;
        sessions.put(signedIn.id, signedIn);
        return signedIn;
    }

    /** Whether {@code given} is the operator token, compared in constant time; always false when the console is read-only. */
    boolean isOperatorToken(String given) {
        return operatorTokenDigest != null
                && given != null
                && MessageDigest.isEqual(operatorTokenDigest, digest(given));
    }

    static String randomToken() {
        var bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A replay dry run shown to an operator: the dead letters that its confirmation replays, and nothing else. */
    record Preview(List<Long> deadLetterIds, boolean again) {}

    /** One browser's session. */
    static final class Session {
        final String id;
        final String csrfToken;
        private volatile Instant lastSeen;
        private volatile String operator;
        private volatile String flash;
        private final Map<String, Preview> previews = new LinkedHashMap<>();

        private Session(String id, String csrfToken, Instant now) {
            this.id = id;
            this.csrfToken = csrfToken;
            this.lastSeen = now;
        }

        /** Whether a form carried this session's CSRF token back. */
        boolean carries(String csrf) {
            return csrf != null
                    && MessageDigest.isEqual(
                            csrfToken.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8));
        }

        /** The operator's name once the token was entered, else null. */
        String operator() {
            return operator;
        }

        void signOut() {
            operator = null;
            synchronized (previews) {
                previews.clear();
            }
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
            var previewId = randomToken();
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
}
