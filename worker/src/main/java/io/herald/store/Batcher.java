package io.herald.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs many requests' database work in one transaction on a thread of its own: what comes in
 * while a batch is written goes into the next one, so the round trips per command fall as load
 * rises. A batch that fails is retried until it succeeds (a database outage stalls the worker, it
 * loses nothing); nothing is acknowledged before its transaction committed.
 */
final class Batcher<T, R> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Batcher.class);

    interface BatchWork<T, R> {
        List<R> run(Connection connection, List<T> items) throws SQLException;
    }

    private record Pending<T, R>(T item, CompletableFuture<R> future) {}

    private final DataSource dataSource;
    private final BatchWork<T, R> work;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Consumer<Long> batchTimer;
    private volatile boolean running = true;
    private volatile boolean healthy = true;
    private Connection connection;

    Batcher(String name, DataSource dataSource, int maxBatch, BatchWork<T, R> work, Consumer<Long> batchTimer) {
        this.dataSource = dataSource;
        this.work = work;
        this.maxBatch = maxBatch;
        this.batchTimer = batchTimer;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletionStage<R> submit(T item) {
        var future = new CompletableFuture<R>();
        queue.add(new Pending<>(item, future));
        return future;
    }

    /** False while the database is out of reach. */
    boolean healthy() {
        return healthy;
    }

    private void loop() {
        var batch = new ArrayList<Pending<T, R>>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                var first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                log.error("unexpected failure of the {} batch; its requests fail", thread.getName(), e);
                batch.forEach(pending -> pending.future().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        closeConnection();
    }

    private void write(List<Pending<T, R>> batch) throws InterruptedException {
        var items = batch.stream().map(Pending::item).toList();
        long backoff = 100;
        while (true) {
            long started = System.nanoTime();
            try {
                var results = inTransaction(items);
                batchTimer.accept(System.nanoTime() - started);
                healthy = true;
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).future().complete(results.get(i));
                }
                return;
            } catch (RuntimeException | AssertionError e) {
                // The driver may throw something else than SQLException when the connection dies mid-batch.
                if (connectionAlive()) {
                    throw e;
                }
                closeConnection();
                healthy = false;
                log.warn("the database connection broke during a batch of {} ({}); retrying in {} ms", batch.size(), e, backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            } catch (SQLException e) {
                closeConnection();
                if (Sql.isConnectionProblem(e)) {
                    log.warn("the database is out of reach ({}); retrying a batch of {} in {} ms", e.getMessage(), batch.size(), backoff);
                    healthy = false;
                } else if (batch.size() > 1) {
                    // Refused, not out of reach: write the halves apart, so one bad request holds up only itself.
                    log.error("the database refused a batch of {} ({}); writing it in halves", batch.size(), e.getMessage(), e);
                    write(batch.subList(0, batch.size() / 2));
                    write(batch.subList(batch.size() / 2, batch.size()));
                    return;
                } else {
                    log.error("the database refused a request ({}); retrying in {} ms", e.getMessage(), backoff, e);
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private List<R> inTransaction(List<T> items) throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
        }
        try {
            var results = work.run(connection, items);
            connection.commit();
            return results;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is replaced below
            }
            throw e;
        }
    }

    private boolean connectionAlive() {
        try {
            return connection != null && connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
