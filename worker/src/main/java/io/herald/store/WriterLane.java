package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's writer thread: what is queued when it is free goes in one transaction. A database out of reach
 * stalls it (it retries, loses nothing, reports itself unhealthy); a deadlock with another worker's writer, or a lock
 * waited for past the lock timeout (its holder ends within the idle-in-transaction timeout), is tried again; a batch
 * the database refuses or cancels for its statement timeout is written in halves, so a write it refuses for good, or
 * that times out {@value #TIMEOUTS} times alone, fails alone ({@link WriteRefusedException}) and the rest goes on.
 * Nothing is acknowledged before its transaction committed. The writes' results are completed on a thread of their own
 * ({@code <name>-results}), in the order they were written: what follows a write (the next decision, the call of a
 * claim, the account's next command) runs there, and the writer's thread only writes.
 */
final class WriterLane {
    private static final Logger log = LoggerFactory.getLogger(WriterLane.class);
    private static final int MAX_BATCH = 1_000;
    private static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Statement timeouts of one write alone before it fails. */
    private static final int TIMEOUTS = 3;

    /** Writes one batch in the open transaction and says what each write came to, and the outbox rows it made. */
    interface BatchWriter {
        Written write(java.sql.Connection connection, List<Object> writes) throws SQLException;
    }

    record Written(Map<Object, Object> results, List<OutboxRelayItem> outbox) {}

    private record Pending(Object write, CompletableFuture<Object> future, long queuedNanos) {}

    private final Jdbc jdbc;
    private final BatchWriter writer;
    private final Consumer<List<OutboxRelayItem>> committedOutbox;
    private final Consumer<Long> batchNanos;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Completes the written batches' results, one batch after the other. */
    private final ExecutorService results;
    /** Batches whose results are being completed: what follows them may still queue writes. */
    private final AtomicInteger completing = new AtomicInteger();

    private volatile boolean running = true;
    /** Once closing has waited this long for the database, what is left fails instead of waiting for ever. */
    private volatile long giveUpAtNanos = Long.MAX_VALUE;

    private volatile boolean reachable = true;
    private volatile long oldestWaitingSince;

    WriterLane(
            String name,
            Jdbc jdbc,
            BatchWriter writer,
            Consumer<List<OutboxRelayItem>> committedOutbox,
            Consumer<Long> batchNanos) {
        this.jdbc = jdbc;
        this.writer = writer;
        this.committedOutbox = committedOutbox;
        this.batchNanos = batchNanos;
        this.results = Executors.newSingleThreadExecutor(runnable -> {
            var results = new Thread(runnable, name + "-results");
            results.setDaemon(true);
            return results;
        });
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletionStage<Object> submit(Object write) {
        var future = new CompletableFuture<Object>();
        queue.add(new Pending(write, future, System.nanoTime()));
        return future;
    }

    /** False while the database is out of reach, or a write has waited for more than 30 s. */
    boolean healthy() {
        long now = System.nanoTime();
        var queued = queue.peek();
        long writing = oldestWaitingSince;
        boolean stale = queued != null && now - queued.queuedNanos() > STALE_NANOS
                || writing != 0 && now - writing > STALE_NANOS;
        return reachable && !stale;
    }

    private void loop() {
        var batch = new ArrayList<Pending>(MAX_BATCH);
        while (running || !queue.isEmpty() || completing.get() > 0) {
            try {
                var first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                oldestWaitingSince = first.queuedNanos();
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                log.error("unexpected failure of a ledger batch of {}; its writes fail", batch.size(), e);
                failed(batch, e);
            } finally {
                batch.clear();
                oldestWaitingSince = 0;
            }
        }
    }

    private void write(List<Pending> batch) throws InterruptedException {
        long backoff = 100;
        int timeouts = 0;
        while (true) {
            long started = System.nanoTime();
            try {
                var written = jdbc.inTransaction(connection -> writer.write(
                        connection, batch.stream().map(Pending::write).toList()));
                batchNanos.accept(System.nanoTime() - started);
                reachable = true;
                if (!written.outbox().isEmpty()) {
                    committedOutbox.accept(written.outbox());
                }
                succeeded(batch, written.results());
                return;
            } catch (SQLException | RuntimeException | AssertionError e) {
                if (System.nanoTime() - giveUpAtNanos > 0) {
                    log.error(
                            "the worker stopped while the database was out of reach; a batch of {} is not written",
                            batch.size());
                    failed(batch, e);
                    return;
                }
                if (isOutage(e)) {
                    reachable = false;
                    log.warn(
                            "the database is out of reach ({}); retrying a batch of {} in {} ms",
                            e.getMessage(),
                            batch.size(),
                            backoff);
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 5_000);
                } else if (Jdbc.isConflict(e) || Jdbc.isLockTimeout(e)) {
                    log.info(
                            "a batch of {} met another transaction ({}); writing it again",
                            batch.size(),
                            e.getMessage());
                    Thread.sleep(Jdbc.isLockTimeout(e) ? 100 : 10);
                } else if (Jdbc.isStatementTimeout(e) && batch.size() == 1 && ++timeouts < TIMEOUTS) {
                    log.warn("a write timed out ({}); writing it again in {} ms", e.getMessage(), backoff);
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 5_000);
                } else if (batch.size() > 1) {
                    log.warn(
                            "the database refused a batch of {} ({}); writing it in halves",
                            batch.size(),
                            e.getMessage());
                    write(batch.subList(0, batch.size() / 2));
                    write(batch.subList(batch.size() / 2, batch.size()));
                    return;
                } else {
                    log.error("the database refused a write ({})", e.getMessage());
                    failed(batch, new WriteRefusedException(e.getMessage(), e));
                    return;
                }
            }
        }
    }

    private void succeeded(List<Pending> batch, Map<Object, Object> results) {
        settle(batch, pending -> pending.future().complete(results.get(pending.write())));
    }

    private void failed(List<Pending> batch, Throwable error) {
        settle(batch, pending -> pending.future().completeExceptionally(error));
    }

    /**
     * Hands the batch's results to the results thread ({@code settle} completes each write's future); a write that
     * follows one of them is queued before the batch counts as done. Once the results thread has stopped (the worker
     * closed), they are completed here.
     */
    private void settle(List<Pending> batch, Consumer<Pending> settle) {
        var settled = List.copyOf(batch);
        completing.incrementAndGet();
        try {
            results.execute(() -> {
                try {
                    settled.forEach(settle);
                } finally {
                    completing.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException stopped) {
            completing.decrementAndGet();
            settled.forEach(settle);
        }
    }

    private static boolean isOutage(Throwable e) {
        return Jdbc.isOutage(e)
                || e instanceof RuntimeException && e.getCause() instanceof SQLException cause && Jdbc.isOutage(cause);
    }

    /** Writes what is queued, then stops; after 30 s of a database out of reach, what is left fails. */
    void close() {
        running = false;
        giveUpAtNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            thread.join(40_000);
            results.shutdown();
            results.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
