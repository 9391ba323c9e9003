package io.herald.process;

import io.herald.command.Timer;
import io.herald.config.RateLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adaptive rate limits per provider (twitter, facebook, ...): calls of a provider are spaced at its allowed rate, a
 * 429 halves that rate (from what it actually was) and its {@code Retry-After} pauses the provider for every command
 * (no longer than {@code HERALD_RETRY_AFTER_MAX_S}, as a command's own retry),
 * and successes raise the rate again a little at a time (additive increase, multiplicative decrease). A provider
 * that never answered 429 and has no cap in {@code HERALD_RATE_LIMITS} is not limited at all. Waiting here happens
 * before a command is claimed, so it costs no attempt.
 */
final class ProviderLimits {
    private static final Logger log = LoggerFactory.getLogger(ProviderLimits.class);
    private static final double MIN_RATE = 0.5;
    private static final double INCREASE_PER_SUCCESS = 0.002;

    private final Timer timer;
    private final Map<String, Double> caps;
    private final Duration retryAfterMax;
    private final Map<String, Limit> limits = new ConcurrentHashMap<>();

    ProviderLimits(RateLimits caps, Duration retryAfterMax, Timer timer) {
        this.caps = caps.perSecond();
        this.retryAfterMax = retryAfterMax;
        this.timer = timer;
    }

    /** One provider's pace: the next moment a call may go, its allowed rate, and the rate calls recently went at. */
    private final class Limit {
        private final String provider;
        private double rate;
        private long nextNanos;
        private long pausedUntilNanos;
        private double observed;
        private long windowStartNanos;
        private int windowCalls;

        Limit(String provider, double cap) {
            this.provider = provider;
            this.rate = cap;
        }

        /** Reserves the next call's moment; returns how long to wait for it. */
        synchronized long reserve(long now) {
            if (windowStartNanos == 0) {
                windowStartNanos = now;
            } else if (now - windowStartNanos >= 1_000_000_000L) {
                observed = windowCalls / ((now - windowStartNanos) / 1e9);
                windowStartNanos = now;
                windowCalls = 0;
            }
            windowCalls++;
            long at = Math.max(now, Math.max(nextNanos, pausedUntilNanos));
            nextNanos = Double.isInfinite(rate) ? at : at + (long) (1e9 / rate);
            return at - now;
        }

        synchronized void throttled(Duration retryAfter, long now) {
            double recent = Math.max(observed, windowCalls / Math.max(0.1, (now - windowStartNanos) / 1e9));
            double from = Double.isInfinite(rate) ? Math.max(recent, 2) : Math.min(rate, Math.max(recent, MIN_RATE * 2));
            rate = Math.max(MIN_RATE, from / 2);
            long pause = (retryAfter == null || retryAfter.isZero() ? Duration.ofSeconds(1)
                    : retryAfter.compareTo(retryAfterMax) > 0 ? retryAfterMax : retryAfter).toNanos();
            pausedUntilNanos = Math.max(pausedUntilNanos, now + pause);
            nextNanos = Math.max(nextNanos, pausedUntilNanos);
            log.info("OneAll throttles {}: its calls pause for {} ms, then go at {} per second", provider, pause / 1_000_000,
                    String.format(java.util.Locale.ROOT, "%.1f", rate));
        }

        synchronized void succeeded() {
            if (!Double.isInfinite(rate)) {
                rate = Math.min(caps.getOrDefault(provider, Double.POSITIVE_INFINITY), rate + Math.max(0.05, rate * INCREASE_PER_SUCCESS));
            }
        }

        synchronized double rate() {
            return rate;
        }
    }

    private Limit limit(String provider) {
        return limits.computeIfAbsent(provider, p -> new Limit(p, caps.getOrDefault(p, Double.POSITIVE_INFINITY)));
    }

    /** Completes when a call for every one of these providers may go. */
    CompletionStage<Void> acquire(List<String> providers) {
        CompletionStage<Void> ready = CompletableFuture.completedFuture(null);
        for (var provider : providers) {
            ready = ready.thenCompose(ignored -> pause(limit(provider).reserve(System.nanoTime())));
        }
        return ready;
    }

    private CompletionStage<Void> pause(long nanos) {
        if (nanos <= 1_000_000) {
            return CompletableFuture.completedFuture(null);
        }
        var waited = new CompletableFuture<Void>();
        timer.schedule(Duration.ofNanos(nanos), () -> waited.complete(null));
        return waited;
    }

    /** OneAll answered 429 for a call of these providers. */
    void throttled(List<String> providers, Duration retryAfter) {
        long now = System.nanoTime();
        providers.forEach(provider -> limit(provider).throttled(retryAfter, now));
    }

    void succeeded(List<String> providers) {
        for (var provider : providers) {
            var limit = limits.get(provider);
            if (limit != null) {
                limit.succeeded();
            }
        }
    }

    /** The allowed rate of a provider now (infinite: not limited). */
    double rate(String provider) {
        var limit = limits.get(provider);
        return limit == null ? caps.getOrDefault(provider, Double.POSITIVE_INFINITY) : limit.rate();
    }

    /** Providers that have a limit now. */
    java.util.Set<String> limited() {
        var limited = new java.util.TreeSet<String>();
        limits.forEach((provider, limit) -> {
            if (!Double.isInfinite(limit.rate())) {
                limited.add(provider);
            }
        });
        return limited;
    }
}
