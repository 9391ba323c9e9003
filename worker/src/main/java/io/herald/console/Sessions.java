package io.herald.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's sessions. Only an operator who entered the operator token has one in memory: at most {@link #MOST},
 * each ending after {@link #IDLE} unused, and when a sign-in finds them all taken, the one unused for longest ends. A
 * visitor who has not signed in is kept nowhere: the cookie (HttpOnly, SameSite=Strict) holds a random id, and the CSRF
 * token of its forms is that id signed with a key of this console (a signed double-submit cookie), so no number of
 * requests without a session can push an operator's out. A console restart ends them all, which only costs a sign-in.
 */
final class Sessions {
    static final String COOKIE = "herald_console";
    static final Duration IDLE = Duration.ofHours(8);
    /** Signed-in sessions at most; only someone with the operator token can start one. */
    static final int MOST = 1_000;

    private static final SecureRandom RANDOM = new SecureRandom();
    /** What {@link #randomToken()} makes: 24 random bytes, base64url. A cookie of any other shape gets a new id. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{32}");

    private final Map<String, Session> signedIn = new ConcurrentHashMap<>();
    private final byte[] operatorTokenDigest;
    private final SecretKeySpec visitorKey;
    private final Clock clock;

    /** {@code operatorToken}: empty when the console is read-only. */
    Sessions(String operatorToken, Clock clock) {
        this.operatorTokenDigest = operatorToken.isEmpty() ? null : digest(operatorToken);
        var key = new byte[32];
        RANDOM.nextBytes(key);
        this.visitorKey = new SecretKeySpec(key, "HmacSHA256");
        this.clock = clock;
    }

    boolean readOnly() {
        return operatorTokenDigest == null;
    }

    /**
     * The signed-in session a cookie's value names, while it is not idle; otherwise a visitor's, kept nowhere: the
     * cookie's own id when it has the shape of one and named no session that ended, else a new id (the caller sets its
     * cookie).
     */
    Session find(String cookie) {
        var now = clock.instant();
        var session = cookie == null ? null : signedIn.get(cookie);
        if (session != null && session.lastSeen.plus(IDLE).isAfter(now)) {
            session.lastSeen = now;
            return session;
        }
        if (session != null) {
            signedIn.remove(cookie, session);
        }
        boolean reusable =
                session == null && cookie != null && ID.matcher(cookie).matches();
        return visitor(reusable ? cookie : randomToken());
    }

    /**
     * A new session for the operator in place of {@code session}, which ends; when {@link #MOST} are signed in, the
     * one unused for longest ends first.
     */
    synchronized Session signIn(Session session, String operator) {
        signedIn.remove(session.id, session);
        var now = clock.instant();
        if (signedIn.size() >= MOST) {
            signedIn.values().removeIf(s -> !s.lastSeen.plus(IDLE).isAfter(now));
        }
        if (signedIn.size() >= MOST) {
            signedIn.values().stream()
                    .min(Comparator.comparing(s -> s.lastSeen))
                    .ifPresent(oldest -> signedIn.remove(oldest.id, oldest));
        }
        var created = new Session(randomToken(), randomToken(), operator, now);
        signedIn.put(created.id, created);
        return created;
    }

    /** Ends {@code session}: its cookie names nothing any more. A visitor's new session, for its cookie. */
    Session signOut(Session session) {
        signedIn.remove(session.id, session);
        return visitor(randomToken());
    }

    /** Signed-in sessions kept. */
    int signedIn() {
        return signedIn.size();
    }

    /** Whether {@code given} is the operator token, compared in constant time; always false when the console is read-only. */
    boolean isOperatorToken(String given) {
        return operatorTokenDigest != null
                && given != null
                && MessageDigest.isEqual(operatorTokenDigest, digest(given));
    }

    private Session visitor(String id) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(visitorKey);
            var csrf = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
            return new Session(id, csrf, null, clock.instant());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
}
