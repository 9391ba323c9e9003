package io.herald.oneall;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How many calls may hold a connection to OneAll at once: at most {@code max}, and a number that grows by one every
 * {@code 1/perSecond} of a second while calls wait, and shrinks as slowly once they no longer do. The pools open a
 * connection only when every connection they have is busy, and a connection carries one call at a time, so the
 * connections opened never outrun this number: at most {@code perSecond} a second, however large the burst, so that
 * a host with a short listen queue is never handed more handshakes than it can take.
 */
final class Lines {
    private final Vertx vertx;
    private final int max;
    private final int initial;
    private final long tickMillis;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int held;
    private int allowed;
    private long timer = -1;

    Lines(Vertx vertx, int max, int perSecond) {
        this.vertx = vertx;
        this.max = max;
        this.initial = 1;
        this.allowed = initial;
        this.tickMillis = Math.max(1, 1000 / Math.max(1, perSecond));
    }

    /** Completes once the call may hold a connection. */
    synchronized CompletionStage<Void> acquire() {
        if (held < allowed) {
            held++;
            return CompletableFuture.completedFuture(null);
        }
        var future = new CompletableFuture<Void>();
        waiting.add(future);
        pace();
        return future;
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = held <= allowed ? waiting.poll() : null;
            if (next == null) {
                held--;
                pace();
                return;
            }
        }
        next.complete(null);
    }

    /** One step of the pace: one more line while calls wait, one fewer while lines stand unused. */
    private void tick() {
        CompletableFuture<Void> next = null;
        synchronized (this) {
            timer = -1;
            if (!waiting.isEmpty() && allowed < max) {
                allowed++;
                held++;
                next = waiting.poll();
            } else if (waiting.isEmpty() && allowed > initial && held < allowed) {
                allowed--;
            }
            pace();
        }
        if (next != null) {
            next.complete(null);
        }
    }

    /** Keeps the pace's timer running while there is a step to take. */
    private void pace() {
        boolean step = waiting.isEmpty() ? allowed > initial && held < allowed : allowed < max;
        if (step && timer < 0) {
            timer = vertx.setTimer(tickMillis, id -> tick());
        }
    }

    synchronized int held() {
        return held;
    }

    synchronized int allowed() {
        return allowed;
    }

    synchronized void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
