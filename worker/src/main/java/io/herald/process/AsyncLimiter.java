package io.herald.process;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** At most {@code limit} holders at once; later callers wait in order, without blocking a thread. */
final class AsyncLimiter {
    private final int limit;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int held;

    AsyncLimiter(int limit) {
        this.limit = limit;
    }

    synchronized CompletionStage<Void> acquire() {
        if (held < limit) {
            held++;
            return CompletableFuture.completedFuture(null);
        }
        var future = new CompletableFuture<Void>();
        waiting.add(future);
        return future;
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                held--;
                return;
            }
        }
        next.complete(null);
    }

    synchronized int held() {
        return held;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
