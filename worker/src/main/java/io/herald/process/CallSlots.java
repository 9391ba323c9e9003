package io.herald.process;

import io.herald.command.CallSignal;
import io.herald.command.FailureClassifier;
import io.herald.command.Timer;
import io.herald.config.RateLimits;
import io.herald.observe.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a call waits for before its command is claimed: OneAll answering again after an outage (the circuit breaker),
 * its providers' rate limits, and a free slot of {@code HERALD_MAX_IN_FLIGHT}. A claimed command holds its slot until
 * its outcome is recorded, so {@code in_flight} rows never outnumber the slots: what a crash can leave unknown is
 * bounded by {@code HERALD_MAX_IN_FLIGHT}.
 */
final class CallSlots {
    private final AsyncLimiter slots;
    private final OutageBreaker breaker;
    private final ProviderLimits providers;

    /**
     * {@code retryAfterMax}: the longest a 429's {@code Retry-After} pauses its providers; {@code trialBound}: how long
     * the breaker's trial call may go unreported before another goes (longer than a call and its settling).
     */
    CallSlots(
            int maxInFlight,
            RateLimits caps,
            Duration retryAfterMax,
            Duration trialBound,
            Timer timer,
            Metrics metrics) {
        this.slots = new AsyncLimiter(maxInFlight);
        this.breaker = new OutageBreaker(20, Duration.ofSeconds(1), Duration.ofSeconds(30), trialBound, timer);
        this.providers = new ProviderLimits(caps, retryAfterMax, timer);
        metrics.gauge(
                "herald_oneall_breaker_open",
                "1 while calls wait for OneAll to answer again after an outage",
                () -> breaker.isOpen() ? 1 : 0);
        metrics.gauge("herald_oneall_in_flight", "calls to OneAll under way", slots::held);
        metrics.gauge("herald_oneall_waiting", "commands waiting for a free call slot", slots::waiting);
        metrics.gauge(
                "herald_oneall_limited_providers",
                "providers whose calls OneAll throttled and are paced now",
                () -> providers.limited().size());
    }

    /**
     * Completes with a slot held, once the breaker and the providers' limits let a call go; the breaker's permit it
     * completes with ends once: {@link #ended} when the call was made, {@link OutageBreaker.Permit#released()} when not.
     */
    CompletionStage<OutageBreaker.Permit> acquire(List<String> callProviders) {
        return breaker.permit()
                .thenCompose(permit -> providers
                        .acquire(callProviders)
                        .thenCompose(ready -> slots.acquire())
                        .thenApply(slot -> permit));
    }

    /** A slot for a read that settles a lost call or checks the keys: no provider's limit, the same slots. */
    CompletionStage<OutageBreaker.Permit> acquireForRead() {
        return breaker.permit().thenCompose(permit -> slots.acquire().thenApply(slot -> permit));
    }

    void release() {
        slots.release();
    }

    /** What a call made under {@code permit} tells of OneAll ({@link FailureClassifier#signal}), fed back. */
    void ended(OutageBreaker.Permit permit, List<String> callProviders, CallSignal signal) {
        if (signal instanceof CallSignal.Succeeded) {
            permit.answered();
            providers.succeeded(callProviders);
        } else if (signal instanceof CallSignal.Throttled throttled) {
            permit.answered();
            providers.throttled(callProviders, throttled.retryAfter().orElse(null));
        } else if (signal instanceof CallSignal.Answered) {
            permit.answered();
        } else if (signal instanceof CallSignal.Silent) {
            permit.released();
        } else if (signal instanceof CallSignal.Failed) {
            permit.failed();
        } else {
            throw new IllegalStateException("no feedback for " + signal);
        }
    }

    boolean outage() {
        return breaker.isOpen();
    }
}
