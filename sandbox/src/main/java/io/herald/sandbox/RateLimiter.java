package io.herald.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One token bucket per provider key, on the sandbox's clock, so that tests move time instead of waiting.
 * A call takes a token from the bucket of every provider it concerns, or from none.
 *
 * <p>Each bucket is kept as the generic cell rate algorithm keeps one, for exact integer arithmetic:
 * the instant its tokens would all be spent, which moves one emission interval ({@code 1 / perSecond})
 * later for each token taken; a call is admitted while that instant is at most {@code burst - 1}
 * intervals ahead of now.
 */
final class RateLimiter {
    private final Clock clock;
    private final Map<String, Long> spentUntilNanos = new HashMap<>();
    private Map<String, RateLimit> limits = Map.of();

    RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Takes a token for each provider, or none when one bucket is empty.
     *
     * @return 0 when admitted, else the whole seconds until every bucket needed has a token (at least 1)
     */
    synchronized int admit(Map<String, RateLimit> configured, Collection<String> providers) {
        // Faults are swapped whole, so other limits are another map.
        if (configured != limits) {
            limits = configured;
            spentUntilNanos.clear();
        }
        long now = nanos(clock.instant());
        if (providers.isEmpty()) {
            return 0;
        }
        long waitNanos = 0;
        for (var provider : providers) {
            var limit = limits.get(provider);
            if (limit != null) {
                long admittedFrom = spentUntil(provider, now) - tolerance(limit);
                waitNanos = Math.max(waitNanos, admittedFrom - now);
            }
        }
        if (waitNanos > 0) {
            long seconds = (waitNanos + 999_999_999L) / 1_000_000_000L;
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
        }
        for (var provider : providers) {
            var limit = limits.get(provider);
            if (limit != null) {
                spentUntilNanos.put(provider, spentUntil(provider, now) + interval(limit));
            }
        }
        return 0;
    }

    /** Buckets start full again, as after a change of limits. */
    synchronized void reset() {
        spentUntilNanos.clear();
    }

    /** A bucket left idle fills up to its burst, never beyond: its spent-until instant is never in the past. */
    private long spentUntil(String provider, long now) {
        return Math.max(now, spentUntilNanos.getOrDefault(provider, now));
    }

    private static long interval(RateLimit limit) {
        return Math.max(1, Math.round(1e9 / limit.perSecond()));
    }

    private static long tolerance(RateLimit limit) {
        return (limit.burst() - 1) * interval(limit);
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
