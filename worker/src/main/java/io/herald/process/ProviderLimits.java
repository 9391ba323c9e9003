package io.herald.process;

import io.herald.command.Timer;
import io.herald.config.RateLimits;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adaptive rate limits per provider (twitter, facebook, ...): the calls of a provider wait in line and go one at a
 * time at its allowed rate. A 429 pauses the provider for its {@code Retry-After}, for every command (those in line
 * do not go while it lasts), and halves the allowed rate, from the rate OneAll accepted lately when that is lower;
 * the 429s of calls that went before that decrease do not lower it again. While calls wait in line, each success
 * raises the rate by a fifth of a call a second (additive increase, multiplicative decrease). A provider that never
 * answered 429 and has no cap in {@code HERALD_RATE_LIMITS} is not limited at all. A pause lasts no longer than
 * {@code HERALD_RETRY_AFTER_MAX_S}, as a command's own retry does. Waiting here happens before a
 * command is claimed, so it costs no attempt.
 */
final class ProviderLimits {
    private static final Logger log = LoggerFactory.getLogger(ProviderLimits.class);
    private static final double MIN_RATE = 0.5;
    private static final double INCREASE_PER_SUCCESS = 0.2;
    private static final long SECOND = 1_000_000_000L;
    /** How long after a pause ends the answers of calls made before it may still come back. */
    private static final long ANSWERS_IN_FLIGHT = SECOND / 2;
    /** How late a call may go and still leave its successor's moment as it was (timers fire late). */
    private static final long CATCH_UP = SECOND / 20;

    private final Timer timer;
    private final LongSupplier nanoTime;
    private final Map<String, Double> caps;
    private final Duration retryAfterMax;
    private final Map<String, Limit> limits = new ConcurrentHashMap<>();

    ProviderLimits(RateLimits caps, Duration retryAfterMax, Timer timer) {
        this(caps, retryAfterMax, timer, System::nanoTime);
    }

    ProviderLimits(RateLimits caps, Duration retryAfterMax, Timer timer, LongSupplier nanoTime) {
        this.caps = caps.perSecond();
        this.retryAfterMax = retryAfterMax;
        this.timer = timer;
        this.nanoTime = nanoTime;
    }

    /** One provider's line of calls, its allowed rate, its pause, and the successes of the last second. */
    private final class Limit {
        private final String provider;
        private final double cap;
        private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
        private final ArrayDeque<Long> successes = new ArrayDeque<>();
        private double rate;
        private long nextNanos;
        private long pausedUntilNanos;
        private long lastPauseEndNanos;
        private long keepRateUntilNanos;
        private boolean timerSet;

        Limit(String provider, double cap) {
            this.provider = provider;
            this.cap = cap;
            this.rate = cap;
            long now = nanoTime.getAsLong();
            this.nextNanos = now;
            this.pausedUntilNanos = now;
            this.lastPauseEndNanos = now - SECOND;
            this.keepRateUntilNanos = now;
        }

        CompletionStage<Void> enqueue() {
            var ready = new CompletableFuture<Void>();
            synchronized (this) {
                waiting.add(ready);
            }
            release();
            return ready;
        }

        /** Lets go the calls whose moment came, and sets a timer for the next one. */
        void release() {
            var go = new ArrayList<CompletableFuture<Void>>();
            long wakeIn = -1;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                while (!waiting.isEmpty()) {
                    long at = later(nextNanos, pausedUntilNanos);
                    if (at - now > 1_000_000) {
                        if (!timerSet) {
                            timerSet = true;
                            wakeIn = at - now;
                        }
                        break;
                    }
                    go.add(waiting.poll());
                    nextNanos = Double.isInfinite(rate) ? now : later(at, now - CATCH_UP) + (long) (SECOND / rate);
                }
            }
            go.forEach(ready -> ready.complete(null));
            if (wakeIn >= 0) {
                timer.schedule(Duration.ofNanos(wakeIn), () -> {
                    synchronized (this) {
                        timerSet = false;
                    }
                    release();
                });
            }
        }

        synchronized void throttled(Duration retryAfter) {
            long now = nanoTime.getAsLong();
            long pause = (retryAfter == null || retryAfter.isZero() || retryAfter.isNegative()
                            ? Duration.ofSeconds(1)
                            : retryAfter.compareTo(retryAfterMax) > 0 ? retryAfterMax : retryAfter)
                    .toNanos();
            if (pausedUntilNanos - now < 0) {
                lastPauseEndNanos = pausedUntilNanos;
            }
            pausedUntilNanos = later(pausedUntilNanos, now + pause);
            if (now - keepRateUntilNanos < 0) {
                return;
            }
            double accepted = acceptedRate(now);
            double from = Double.isInfinite(rate)
                    ? Math.max(accepted, MIN_RATE * 2)
                    : Math.min(rate, Math.max(accepted, MIN_RATE * 2));
            rate = Math.max(MIN_RATE, from / 2);
            keepRateUntilNanos = pausedUntilNanos + ANSWERS_IN_FLIGHT;
            log.info(
                    "OneAll throttles {}: its calls pause for {} ms, then go at {} per second",
                    provider,
                    pause / 1_000_000,
                    String.format(java.util.Locale.ROOT, "%.1f", rate));
        }

        /** Successes per second since the last pause ended, over the last second at most (a quarter of one at least). */
        private double acceptedRate(long now) {
            trim(now);
            long since = later(now - SECOND, lastPauseEndNanos);
            long count = successes.stream().filter(at -> at - since >= 0).count();
            return count / (Math.max(now - since, SECOND / 4) / 1e9);
        }

        synchronized void succeeded() {
            long now = nanoTime.getAsLong();
            successes.add(now);
            trim(now);
            if (!Double.isInfinite(rate) && !waiting.isEmpty()) {
                rate = Math.min(cap, rate + INCREASE_PER_SUCCESS);
            }
        }

        private void trim(long now) {
            while (!successes.isEmpty() && now - successes.peek() > SECOND) {
                successes.poll();
            }
        }

        synchronized double rate() {
            return rate;
        }
    }

    /** The later of two {@link System#nanoTime()} readings (which may overflow, so they are compared by their difference). */
    private static long later(long a, long b) {
        return a - b > 0 ? a : b;
    }

    private Limit limit(String provider) {
        return limits.computeIfAbsent(provider, p -> new Limit(p, caps.getOrDefault(p, Double.POSITIVE_INFINITY)));
    }

    /** Completes when a call for every one of these providers may go. */
    CompletionStage<Void> acquire(List<String> providers) {
        CompletionStage<Void> ready = CompletableFuture.completedFuture(null);
        for (var provider : providers) {
            ready = ready.thenCompose(ignored -> limit(provider).enqueue());
        }
        return ready;
    }

    /** OneAll answered 429 for a call of these providers. */
    void throttled(List<String> providers, Duration retryAfter) {
        providers.forEach(provider -> limit(provider).throttled(retryAfter));
    }

    void succeeded(List<String> providers) {
        for (var provider : providers) {
            limit(provider).succeeded();
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
