package io.herald.command;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a transiently failed command again: exponential backoff with full jitter, capped,
 * never sooner than OneAll's {@code Retry-After} (capped), at most {@code maxAttempts} calls in all.
 *
 * <pre>{@code RetryPolicy.maxAttempts(8).exponentialBackoff(ofSeconds(1), ofMinutes(5)).withJitter()}</pre>
 */
public final class RetryPolicy {
    private final int maxAttempts;
    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private final Duration retryAfterCap;

    private RetryPolicy(
            int maxAttempts, Duration initial, Duration max, DoubleSupplier random, Duration retryAfterCap) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initial != null && (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0)) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max");
        }
        this.maxAttempts = maxAttempts;
        this.initial = initial;
        this.max = max;
        this.random = random;
        this.retryAfterCap = retryAfterCap;
    }

    /** The first half of a policy: it is not usable until its backoff is given. */
    public static Builder maxAttempts(int attempts) {
        return new Builder(attempts);
    }

    public static final class Builder {
        private final int attempts;

        private Builder(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.attempts = attempts;
        }

        public RetryPolicy exponentialBackoff(Duration initial, Duration max) {
            return new RetryPolicy(attempts, initial, max, null, Duration.ofHours(1));
        }
    }

    /** Spreads retries over {@code [delay/2, delay]} so that failed commands do not return together. */
    public RetryPolicy withJitter() {
        return withJitter(Math::random);
    }

    public RetryPolicy withJitter(DoubleSupplier random) {
        return new RetryPolicy(maxAttempts, initial, max, random, retryAfterCap);
    }

    /** The longest {@code Retry-After} honoured (one hour unless said); a longer one is cut to it. */
    public RetryPolicy honouringRetryAfterUpTo(Duration cap) {
        return new RetryPolicy(maxAttempts, initial, max, random, cap);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a command that has made {@code attempts} calls may make another. */
    public boolean mayRetry(int attempts) {
        return attempts < maxAttempts;
    }

    /** How long to wait after the {@code attempts}-th call failed transiently. */
    public Duration delayAfter(int attempts, Optional<Duration> retryAfter) {
        int exponent = Math.max(0, Math.min(attempts - 1, 30));
        long millis = Math.min(max.toMillis(), initial.toMillis() * (1L << Math.min(exponent, 20)));
        if (random != null) {
            millis = millis / 2 + (long) (random.getAsDouble() * (millis - millis / 2));
        }
        var delay = Duration.ofMillis(millis);
        return retryAfter
                .map(after -> after.compareTo(retryAfterCap) > 0 ? retryAfterCap : after)
                .filter(after -> after.compareTo(delay) > 0)
                .orElse(delay);
    }
}
