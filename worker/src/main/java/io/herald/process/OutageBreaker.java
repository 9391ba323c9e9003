package io.herald.process;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker around OneAll: after {@code threshold} transient failures in a row, with no call
 * answered in between, calls wait instead of burning the attempts of the whole backlog. After a
 * cooldown one call goes as a probe; its success lets everything through again, its failure doubles
 * the cooldown (up to a cap). Work resumes by itself when OneAll is back.
 */
final class OutageBreaker {
    private static final Logger log = LoggerFactory.getLogger(OutageBreaker.class);

    private enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final Duration minCooldown;
    private final Duration maxCooldown;
    private final io.herald.command.Timer timer;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Duration cooldown;
    private boolean probeInFlight;

    OutageBreaker(int threshold, Duration minCooldown, Duration maxCooldown, io.herald.command.Timer timer) {
        this.threshold = threshold;
        this.minCooldown = minCooldown;
        this.maxCooldown = maxCooldown;
        this.cooldown = minCooldown;
        this.timer = timer;
    }

    /** Completes when a call may be made. */
    synchronized CompletionStage<Void> permit() {
        if (state == State.CLOSED || (state == State.HALF_OPEN && !probeInFlight)) {
            if (state == State.HALF_OPEN) {
                probeInFlight = true;
            }
            return CompletableFuture.completedFuture(null);
        }
        var future = new CompletableFuture<Void>();
        waiting.add(future);
        return future;
    }

    /** OneAll answered (whatever it said about the command): it is up. */
    void answered() {
        ArrayDeque<CompletableFuture<Void>> released;
        synchronized (this) {
            consecutiveFailures = 0;
            probeInFlight = false;
            if (state == State.CLOSED) {
                return;
            }
            log.info("OneAll answers again; calls resume");
            state = State.CLOSED;
            cooldown = minCooldown;
            released = new ArrayDeque<>(waiting);
            waiting.clear();
        }
        released.forEach(future -> future.complete(null));
    }

    /** A call failed in a way an outage would explain: no connection, 429, 5xx, or no answer. */
    synchronized void failed() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN) {
            probeInFlight = false;
            cooldown = cooldown.multipliedBy(2).compareTo(maxCooldown) > 0 ? maxCooldown : cooldown.multipliedBy(2);
            open();
        } else if (state == State.CLOSED && consecutiveFailures >= threshold) {
            log.warn(
                    "{} calls to OneAll failed in a row; calls wait and one probe goes every {} ms until it answers",
                    consecutiveFailures,
                    cooldown.toMillis());
            open();
        }
    }

    /**
     * A call this worker held back itself (its claim too old to send): it tells nothing about OneAll, so it is neither
     * an answer nor a failure; when it was the probe, the next call waiting goes as the probe instead.
     */
    void heldBack() {
        CompletableFuture<Void> next = null;
        synchronized (this) {
            if (state == State.HALF_OPEN && probeInFlight) {
                next = nextProbe();
            }
        }
        if (next != null) {
            next.complete(null);
        }
    }

    synchronized boolean isOpen() {
        return state != State.CLOSED;
    }

    private void open() {
        state = State.OPEN;
        timer.schedule(cooldown, this::probe);
    }

    private void probe() {
        CompletableFuture<Void> next;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.HALF_OPEN;
            next = nextProbe();
        }
        if (next != null) {
            next.complete(null);
        }
    }

    /** The call waiting longest goes as the probe (none: the next permit is). Called holding the lock. */
    private CompletableFuture<Void> nextProbe() {
        var next = waiting.poll();
        probeInFlight = next != null;
        return next;
    }
}
