package io.herald.store;

import io.herald.command.Event;
import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The ledger's one writer ({@link WriterLane}): claims, parks and outcome changes that arrive together go in one
 * transaction on a thread of its own, so the round trips and commits per command fall as load rises. Claims and parks
 * are fenced by their partition's epoch, outcome changes by their claim. Nothing is acknowledged before its
 * transaction committed.
 *
 * <p>One writer, not one for claims and one for changes: two transactions of one worker at a time, each holding its
 * partitions' shared fence locks and row locks the other wants, can queue behind another worker's takeover (its
 * exclusive fence lock) so that neither moves; measured as a stalled worker in {@code FencingIT}.
 */
public final class LedgerWriter implements Ledger, AutoCloseable {

    /** What a park or an outcome change came to. */
    public enum Result {
        APPLIED,
        /** Applied, but without its park: the partition is another worker's, which consumes the command again. */
        APPLIED_NOT_PARKED,
        /** Not applied: the claim or the partition is another worker's. */
        FENCED,
        /** Not parked: the ledger knows the command's id with another body; a claim finds it out and dead-letters it. */
        REUSED_ID;

        /** What the write found, as the fact {@code Decide} judges. */
        public Event.Write write() {
            return switch (this) {
                case APPLIED -> Event.Write.APPLIED;
                case APPLIED_NOT_PARKED -> Event.Write.APPLIED_NOT_PARKED;
                case FENCED -> Event.Write.FENCED;
                case REUSED_ID -> Event.Write.REUSED_ID;
            };
        }
    }

    private final WriterLane writer;

    public LedgerWriter(
            DataSource dataSource, Consumer<List<OutboxRelayItem>> committedOutbox, Consumer<Long> batchNanos) {
        this.writer =
                new WriterLane("herald-ledger-writer", new Jdbc(dataSource), Batch::write, committedOutbox, batchNanos);
    }

    @Override
    public CompletionStage<Event> claim(ClaimRequest request) {
        return writer.submit(request).thenApply(Event.class::cast);
    }

    @Override
    public CompletionStage<Result> park(ParkRequest request) {
        return writer.submit(request).thenApply(Result.class::cast);
    }

    @Override
    public CompletionStage<Result> apply(LedgerChange change) {
        return writer.submit(change).thenApply(Result.class::cast);
    }

    /** False while the database is out of reach, or a write has waited for more than 30 s. */
    public boolean healthy() {
        return writer.healthy();
    }

    /** Writes what is queued, then stops; after 30 s of a database out of reach, what is left fails. */
    @Override
    public void close() {
        writer.close();
    }

    /** One transaction's writes, in the order that keeps the guarantees. */
    private static final class Batch {
        static WriterLane.Written write(java.sql.Connection connection, List<Object> writes) throws SQLException {
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
            return new WriterLane.Written(results, Records.outbox(connection, done));
        }

        /** Claims of partitions this worker still owns; the others are fenced. */
        private static void claim(
                java.sql.Connection connection, Fence fence, List<ClaimRequest> claims, Map<Object, Object> results)
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

        private static void park(
                java.sql.Connection connection, Fence fence, List<ParkRequest> parks, Map<Object, Object> results)
                throws SQLException {
            var owned = new ArrayList<ParkRequest>();
            for (var park : parks) {
                boolean holds = fence.holds(park.source());
                results.put(park, holds ? Result.APPLIED : Result.FENCED);
                if (holds) {
                    owned.add(park);
                }
            }
            Parking.park(connection, owned).forEach(reused -> results.put(reused, Result.REUSED_ID));
        }

        /**
         * Outcome changes under their guards, with the parking, reporting and records they bring; returns them as they
         * applied (a record that names another record's command, beside it).
         */
        private static List<LedgerChange> change(
                java.sql.Connection connection, Fence fence, List<LedgerChange> changes, Map<Object, Object> results)
                throws SQLException {
            var applied = Changes.apply(connection, changes);
            var heads = new ArrayList<LedgerChange>();
            var ended = new ArrayList<String>();
            var done = new ArrayList<LedgerChange>();
            for (var requested : changes) {
                var change = applied.get(requested);
                if (change == null) {
                    results.put(requested, Result.FENCED);
                    continue;
                }
                done.add(change);
                if (change.park != null && fence.holds(change.source)) {
                    heads.add(change);
                    results.put(requested, Result.APPLIED);
                } else {
                    results.put(requested, change.park != null ? Result.APPLIED_NOT_PARKED : Result.APPLIED);
                }
                if (change.unparks()) {
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
