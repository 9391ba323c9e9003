package io.herald.sandbox;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * A fault for the requests about one token (an identity, user or sharing message token), optionally
 * only for one provider of a publish.
 *
 * @param token      the token the rule applies to
 * @param provider   only this provider's publication fails (a 207 for a multi-provider publish), or null for the whole request
 * @param status     the HTTP status to answer (or the publication status, with a provider); 0 with {@code hang} or {@code anomaly}
 * @param failFirst  fail only the first N matching requests, then answer normally; 0 means always
 * @param hang       perform the request but never answer (an unknown outcome for the caller)
 * @param retryAfterSeconds a {@code Retry-After} header to send with the status, or 0 for none
 * @param anomaly    answer with this anomaly instead of a status (whole requests only), or null
 * @param afterEffect carry the request out, then answer {@code status} instead of its answer (a gateway's 504 after
 *                    OneAll did the work; whole requests only)
 */
public record FaultRule(
        String token,
        String provider,
        int status,
        @JsonAlias("fail_first") int failFirst,
        boolean hang,
        @JsonAlias("retry_after_seconds") int retryAfterSeconds,
        Anomaly anomaly,
        @JsonAlias("after_effect") boolean afterEffect) {
    public FaultRule {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a fault rule needs a token");
        }
        if (anomaly != null && (hang || provider != null || status != 0)) {
            throw new IllegalArgumentException(
                    "an anomaly rule applies to whole requests, with no status, provider or hang");
        }
        if (!hang && anomaly == null && (status < 400 || status > 599)) {
            throw new IllegalArgumentException(
                    "a fault rule answers a 4xx or 5xx status, hangs, or answers an anomaly");
        }
        if (afterEffect && (hang || anomaly != null || provider != null)) {
            throw new IllegalArgumentException(
                    "a rule that answers after the effect applies to whole requests, with a status and no hang or anomaly");
        }
        if (failFirst < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("failFirst and retryAfterSeconds cannot be negative");
        }
    }

    /** A rule without an anomaly, as rules were before anomalies existed. */
    public FaultRule(String token, String provider, int status, int failFirst, boolean hang, int retryAfterSeconds) {
        this(token, provider, status, failFirst, hang, retryAfterSeconds, null, false);
    }

    /** A rule answered before the effect, as rules were before {@code afterEffect} existed. */
    public FaultRule(
            String token,
            String provider,
            int status,
            int failFirst,
            boolean hang,
            int retryAfterSeconds,
            Anomaly anomaly) {
        this(token, provider, status, failFirst, hang, retryAfterSeconds, anomaly, false);
    }

    public static FaultRule failAlways(String token, int status) {
        return new FaultRule(token, null, status, 0, false, 0);
    }

    public static FaultRule failFirst(String token, int times, int status) {
        return new FaultRule(token, null, status, times, false, 0);
    }

    /** Every request about the token is carried out, then answered {@code status} (OneAll did it; a gateway failed). */
    public static FaultRule failAfterEffect(String token, int status) {
        return new FaultRule(token, null, status, 0, false, 0, null, true);
    }

    public static FaultRule hang(String token) {
        return new FaultRule(token, null, 0, 0, true, 0);
    }

    public static FaultRule failProvider(String token, String provider, int status) {
        return new FaultRule(token, provider, status, 0, false, 0);
    }

    /** Every request about the token is answered with the anomaly (see {@link Anomaly} for which calls each fits). */
    public static FaultRule answerWith(String token, Anomaly anomaly) {
        return new FaultRule(token, null, 0, 0, false, 0, anomaly);
    }

    public FaultRule withRetryAfter(int seconds) {
        return new FaultRule(token, provider, status, failFirst, hang, seconds, anomaly, afterEffect);
    }

    public FaultRule onlyFirst(int times) {
        return new FaultRule(token, provider, status, times, hang, retryAfterSeconds, anomaly, afterEffect);
    }
}
