package io.herald.process;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker around OneAll: after {@code threshold} transient failures in a row, with no call answered in
 * between, calls wait instead of burning the attempts of the whole backlog. After a cooldown one call goes as the
 * trial; an answer lets everything through again, its failure doubles the cooldown (up to a cap). Work resumes by
 * itself when OneAll is back.
 *
 * <p>Every leave to call is a {@link Permit} that ends exactly once: reported (answered, failed) or released (no call
 * made). A trial released unused goes on to the next call waiting; a trial that ends in no way within
 * {@code trialBound} (its holder lost it) is given up and another goes, so a half-open breaker never waits for ever.
 */
final class OutageBreaker {
    private static final Logger log = LoggerFactory.getLogger(OutageBreaker.class);

    private enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    /** A leave to make one call; it ends once, by {@link #answered()}, {@link #failed()} or {@link #released()}. */
    final class Permit {
        private final boolean trial;
        private boolean ended;

        private Permit(boolean trial) {
            this.trial = trial;
        }

        /** OneAll answered (whatever it said about the command): it is up. */
        void answered() {
            end(this, true);
        }

        /** The call failed in a way an outage would explain: no connection, 429, 5xx, or no answer. */
        void failed() {
            end(this, false);
        }

        /** No call was made (the claim said no, or the worker held the call back itself): nothing about OneAll. */
        void released() {
            OutageBreaker.this.released(this);
        }

        boolean trial() {
            return trial;
        }
    }

    private final int threshold;
    private final Duration minCooldown;
    private final Duration maxCooldown;
    private final Duration trialBound;
    private final io.herald.command.Timer timer;
    private final ArrayDeque<CompletableFuture<Permit>> waiting = new ArrayDeque<>();
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Duration cooldown;
    /** The trial out now, or null: while half-open and null, the next permit asked for is the trial. */
    private Permit trial;

    OutageBreaker(
            int threshold,
            Duration minCooldown,
            Duration maxCooldown,
            Duration trialBound,
            io.herald.command.Timer timer) {
        this.threshold = threshold;
        this.minCooldown = minCooldown;
        this.maxCooldown = maxCooldown;
        this.trialBound = trialBound;
        this.cooldown = minCooldown;
        this.timer = timer;
    }

    /** Completes with a permit when a call may be made. */
    CompletionStage<Permit> permit() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return CompletableFuture.completedFuture(new Permit(false));
            }
            if (state == State.HALF_OPEN && trial == null) {
                return CompletableFuture.completedFuture(newTrial());
            }
            var future = new CompletableFuture<Permit>();
            waiting.add(future);
            return future;
        }
    }

    synchronized boolean isOpen() {
        return state != State.CLOSED;
    }

    private void end(Permit permit, boolean answered) {
        ArrayDeque<CompletableFuture<Permit>> released = null;
        synchronized (this) {
            if (permit.ended) {
                return;
            }
            permit.ended = true;
            if (answered) {
                consecutiveFailures = 0;
                if (state != State.CLOSED) {
                    released = close();
                }
            } else {
                consecutiveFailures++;
                failed(permit);
            }
        }
        if (released != null) {
            released.forEach(future -> future.complete(new Permit(false)));
        }
    }

    /** Called holding the lock. */
    private void failed(Permit permit) {
        if (permit == trial) {
            trial = null;
            cooldown = cooldown.multipliedBy(2).compareTo(maxCooldown) > 0 ? maxCooldown : cooldown.multipliedBy(2);
            open();
        } else if (state == State.CLOSED && consecutiveFailures >= threshold) {
            log.warn(
                    "{} calls to OneAll failed in a row; calls wait and one trial goes every {} ms until it answers",
                    consecutiveFailures,
                    cooldown.toMillis());
            open();
        }
        // else: a call let through before the outage, or a trial given up, failed: counted, the trial out decides
    }

    private void released(Permit permit) {
        Permit next = null;
        CompletableFuture<Permit> to = null;
        synchronized (this) {
            if (permit.ended) {
                return;
            }
            permit.ended = true;
            if (permit == trial) {
                trial = null;
                to = waiting.poll();
                next = to == null ? null : newTrial();
            }
        }
        if (to != null) {
            to.complete(next);
        }
    }

    /** A trial ended in no way within the bound: its holder lost it, and another goes (its late report still counts). */
    private void expire(Permit permit) {
        Permit next = null;
        CompletableFuture<Permit> to = null;
        synchronized (this) {
            if (permit != trial || permit.ended) {
                return;
            }
            log.warn("the trial call to OneAll ended in no way within {} ms; another goes", trialBound.toMillis());
            trial = null;
            to = waiting.poll();
            next = to == null ? null : newTrial();
        }
        if (to != null) {
            to.complete(next);
        }
    }

    private ArrayDeque<CompletableFuture<Permit>> close() {
        log.info("OneAll answers again; calls resume");
        state = State.CLOSED;
        cooldown = minCooldown;
        trial = null;
        var released = new ArrayDeque<>(waiting);
        waiting.clear();
        return released;
    }

    private void open() {
        state = State.OPEN;
        timer.schedule(cooldown, this::halfOpen);
    }

    private void halfOpen() {
        Permit next = null;
        CompletableFuture<Permit> to;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.HALF_OPEN;
            to = waiting.poll();
            if (to != null) {
                next = newTrial();
            }
        }
        if (to != null) {
            to.complete(next);
        }
    }

    /** Called holding the lock. */
    private Permit newTrial() {
        var permit = new Permit(true);
        trial = permit;
        timer.schedule(trialBound, () -> expire(permit));
        return permit;
    }
}
