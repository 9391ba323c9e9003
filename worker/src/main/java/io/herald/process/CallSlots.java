package io.herald.process;

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

    /** {@code retryAfterMax}: the longest a 429's {@code Retry-After} pauses its providers. */
    CallSlots(int maxInFlight, RateLimits caps, Duration retryAfterMax, Timer timer, Metrics metrics) {
        this.slots = new AsyncLimiter(maxInFlight);
        this.breaker = new OutageBreaker(20, Duration.ofSeconds(1), Duration.ofSeconds(30), timer);
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

    /** Completes with a slot held, once the breaker and the providers' limits let a call go. */
    CompletionStage<Void> acquire(List<String> callProviders) {
        return breaker.permit()
                .thenCompose(permitted -> providers.acquire(callProviders))
                .thenCompose(ready -> slots.acquire());
    }

    /** A slot for a read that settles a lost call or checks the keys: no provider's limit, the same slots. */
    CompletionStage<Void> acquireForRead() {
        return breaker.permit().thenCompose(permitted -> slots.acquire());
    }

    void release() {
        slots.release();
    }

    /** OneAll answered (whatever it said): it is up. */
    void answered(List<String> callProviders, int httpStatus, Duration retryAfter) {
        breaker.answered();
        if (httpStatus == 429) {
            providers.throttled(callProviders, retryAfter);
        } else if (httpStatus < 300) {
            providers.succeeded(callProviders);
        }
    }

    /** A call failed in a way an outage would explain: no connection, 5xx, or no answer. */
    void failed() {
        breaker.failed();
    }

    /** A call this worker held back itself, unsent: nothing about OneAll. */
    void heldBack() {
        breaker.heldBack();
    }

    boolean outage() {
        return breaker.isOpen();
    }
}
