package io.herald.sandbox;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * A token bucket for one provider: {@code burst} calls at once, then {@code perSecond} calls a second.
 *
 * @param perSecond the refill rate, in calls a second (fractions allowed: 0.2 is one call every 5 s)
 * @param burst     the bucket's size, and how many calls a full bucket admits at once
 */
public record RateLimit(@JsonAlias("per_second") double perSecond, int burst) {
    public RateLimit {
        if (!(perSecond > 0) || Double.isInfinite(perSecond) || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs a positive per_second and a burst of at least 1");
        }
    }

    public static RateLimit of(double perSecond, int burst) {
        return new RateLimit(perSecond, burst);
    }
}
