package io.herald.store;

import io.herald.command.Event;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's one writer: claims, parks and outcome changes that arrive together go in one transaction on a thread
 * of its own, so the round trips and commits per command fall as load rises. Claims and parks are fenced by their
 * partition's epoch, outcome changes by their claim. Nothing is acknowledged before its transaction committed. A
 * database out of reach stalls the writer (it retries, loses nothing, reports itself unhealthy); a batch it refuses
 * is written in halves, so a write it refuses for good fails alone ({@link WriteRefusedException}) and the rest goes on.
 */
public final class LedgerWriter implements Ledger, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);
    private static final int MAX_BATCH = 1_000;
    private static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** What a park or an outcome change came to. */
    public enum Result {
        APPLIED,
        /** Applied, but without its park: the partition is another worker's, which consumes the command again. */
        APPLIED_NOT_PARKED,
        /** Not applied: the claim or the partition is another worker's. */
        FENCED
    }

    private record Pending(Object write, CompletableFuture<Object> future, long queuedNanos) {}

    private final Jdbc jdbc;
    private final Consumer<List<OutboxRelayItem>> committedOutbox;
    private final Consumer<Long> batchNanos;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Once closing has waited this long for the database, what is left fails instead of waiting for ever. */
    private volatile long giveUpAtNanos = Long.MAX_VALUE;
    private volatile boolean reachable = true;
    private volatile long oldestWaitingSince;

    public LedgerWriter(DataSource dataSource, Consumer<List<OutboxRelayItem>> committedOutbox, Consumer<Long> batchNanos) {
        this.jdbc = new Jdbc(dataSource);
        this.committedOutbox = committedOutbox;
        this.batchNanos = batchNanos;
        this.thread = new Thread(this::loop, "herald-ledger-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public CompletionStage<Event> claim(ClaimRequest request) {
        return submit(request).thenApply(Event.class::cast);
    }

    @Override
    public CompletionStage<Result> park(ParkRequest request) {
        return submit(request).thenApply(Result.class::cast);
    }

    @Override
    public CompletionStage<Result> apply(LedgerChange change) {
        return submit(change).thenApply(Result.class::cast);
    }

    private CompletionStage<Object> submit(Object write) {
        var future = new CompletableFuture<Object>();
        queue.add(new Pending(write, future, System.nanoTime()));
        return future;
    }

    /** False while the database is out of reach, or a write has waited for more than 30 s. */
    public boolean healthy() {
        long now = System.nanoTime();
        var queued = queue.peek();
        long writing = oldestWaitingSince;
        boolean stale = queued != null && now - queued.queuedNanos() > STALE_NANOS || writing != 0 && now - writing > STALE_NANOS;
        return reachable && !stale;
    }

    private void loop() {
        var batch = new ArrayList<Pending>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
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
                batch.forEach(pending -> pending.future().completeExceptionally(e));
            } finally {
                batch.clear();
                oldestWaitingSince = 0;
            }
        }
    }

    private void write(List<Pending> batch) throws InterruptedException {
        long backoff = 100;
        while (true) {
            long started = System.nanoTime();
            try {
                var written = jdbc.inTransaction(connection -> Batch.write(connection, batch.stream().map(Pending::write).toList()));
                batchNanos.accept(System.nanoTime() - started);
                reachable = true;
                if (!written.outbox().isEmpty()) {
                    committedOutbox.accept(written.outbox());
                }
                for (var pending : batch) {
                    pending.future().complete(written.results().get(pending.write()));
                }
                return;
            } catch (SQLException | RuntimeException | AssertionError e) {
                if (System.nanoTime() - giveUpAtNanos > 0) {
                    log.error("the worker stopped while the database was out of reach; a batch of {} is not written", batch.size());
                    batch.forEach(pending -> pending.future().completeExceptionally(e));
                    return;
                }
                if (Jdbc.isOutage(e) || e instanceof RuntimeException && e.getCause() instanceof SQLException cause && Jdbc.isOutage(cause)) {
                    reachable = false;
                    log.warn("the database is out of reach ({}); retrying a batch of {} in {} ms", e.getMessage(), batch.size(), backoff);
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 5_000);
                } else if (batch.size() > 1) {
                    log.warn("the database refused a batch of {} ({}); writing it in halves", batch.size(), e.getMessage());
                    write(batch.subList(0, batch.size() / 2));
                    write(batch.subList(batch.size() / 2, batch.size()));
                    return;
                } else {
                    log.error("the database refused a write ({})", e.getMessage());
                    batch.get(0).future().completeExceptionally(new WriteRefusedException(e.getMessage(), e));
                    return;
                }
            }
        }
    }

    /** Writes what is queued, then stops; after 30 s of a database out of reach, what is left fails. */
    @Override
    public void close() {
        running = false;
        giveUpAtNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            thread.join(40_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One transaction's writes, in the order that keeps the guarantees. */
    private static final class Batch {
        record Written(Map<Object, Object> results, List<OutboxRelayItem> outbox) {}

        static Written write(java.sql.Connection connection, List<Object> writes) throws SQLException {
            var claims = new ArrayList<ClaimRequest>();
            var parks = new ArrayList<ParkRequest>();
            var changes = new ArrayList<LedgerChange>();
            var sources = new ArrayList<Source>();
            for (var write : writes) {
                if (write instanceof ClaimRequest claim) {
                    claims.add(claim);
                    sources.add(claim.source());
                } else if (write instanceof ParkRequest park) {
                    parks.add(park);
                    sources.add(park.source());
                } else {
                    var change = (LedgerChange) write;
                    changes.add(change);
                    if (change.park != null) {
                        sources.add(change.source);
                    }
                }
            }
            var fence = Fence.of(connection, sources);
            var results = new IdentityHashMap<Object, Object>();
            claim(connection, fence, claims, results);
            park(connection, fence, parks, results);
            var done = change(connection, fence, changes, results);
            return new Written(results, Records.outbox(connection, done));
        }

        /** Claims of partitions this worker still owns; the others are fenced. */
        private static void claim(java.sql.Connection connection, Fence fence, List<ClaimRequest> claims, Map<Object, Object> results)
                throws SQLException {
            var owned = new ArrayList<ClaimRequest>();
            for (var claim : claims) {
                if (fence.holds(claim.source())) {
                    owned.add(claim);
                } else {
                    results.put(claim, new Event.Fenced());
                }
            }
            results.putAll(Claims.run(connection, owned));
        }

        private static void park(java.sql.Connection connection, Fence fence, List<ParkRequest> parks, Map<Object, Object> results)
                throws SQLException {
            var owned = new ArrayList<ParkRequest>();
            for (var park : parks) {
                boolean holds = fence.holds(park.source());
                results.put(park, holds ? Result.APPLIED : Result.FENCED);
                if (holds) {
                    owned.add(park);
                }
            }
            Parking.park(connection, owned);
        }

        /** Outcome changes under their guards, with the parking, reporting and records they bring; returns those applied. */
        private static List<LedgerChange> change(java.sql.Connection connection, Fence fence, List<LedgerChange> changes,
                Map<Object, Object> results) throws SQLException {
            var applied = Changes.apply(connection, changes);
            var heads = new ArrayList<LedgerChange>();
            var ended = new ArrayList<String>();
            var done = new ArrayList<LedgerChange>();
            for (var change : changes) {
                if (!applied.contains(change)) {
                    results.put(change, Result.FENCED);
                    continue;
                }
                done.add(change);
                if (change.park != null && fence.holds(change.source)) {
                    heads.add(change);
                    results.put(change, Result.APPLIED);
                } else {
                    results.put(change, change.park != null ? Result.APPLIED_NOT_PARKED : Result.APPLIED);
                }
                if (change.status.ended() && change.command.commandId() != null) {
                    ended.add(change.command.commandId());
                }
            }
            Parking.head(connection, heads);
            Parking.remove(connection, ended);
            Reporting.write(connection, done);
            Records.deadLetters(connection, done);
            Records.holds(connection, done);
            Records.campaignCounts(connection, done);
            return done;
        }
    }
}
