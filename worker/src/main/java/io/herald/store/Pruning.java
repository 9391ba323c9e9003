package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Deletes what is past its retention (docs/operations.md, "Retention"), in small batches, oldest first. Each batch is
 * one short transaction of its own that skips rows another transaction holds ({@code SKIP LOCKED}), so the ledger
 * writer never waits behind a prune for longer than one batch, and a prune never waits behind the writer. A command
 * still needed is never deleted: one not ended, one still parked, one whose identity hold or campaign has not ended,
 * one whose dead letter is kept and not replayed (its replay needs the row's attempts).
 */
public final class Pruning {
    /** Rows per batch: 1,000 ended commands took 0.13 to 0.3 s on a busy two-core machine (docs/performance.md). */
    public static final int BATCH = 1_000;

    /** The advisory lock that lets one worker at a time prune; its own key, apart from the partitions' fence locks. */
    private static final long LOCK = 0x48455241_4c445250L;

    /** The tables pruned, each with what is kept: rows that ended (or were taken) before the cut-off go. */
    public enum Table {
        COMMANDS("commands", LedgerSql.PRUNE, 2),
        DEAD_LETTERS("dead_letters", DeadLetterStore.PRUNE, 2),
        REFERRAL_SAMPLES("referral_samples", Reporting.PRUNE_SAMPLES, 1);

        private final String tableName;
        private final String delete;
        /** How often the statement names the cut-off: first as the bound of the index it walks. */
        private final int cutOffs;

        Table(String tableName, String delete, int cutOffs) {
            this.tableName = tableName;
            this.delete = delete;
            this.cutOffs = cutOffs;
        }

        public String tableName() {
            return tableName;
        }
    }

    private final DataSource dataSource;

    public Pruning(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What a round may do, called between batches: false stops it (a worker closing). */
    public interface Batches {
        boolean deleted(Table table, int rows, long nanos);
    }

    /**
     * Deletes the rows of {@code table} older than {@code cutOff}, a batch at a time, unless another worker is pruning
     * (then nothing, and false). A batch that deletes fewer than {@link #BATCH} rows ends the round.
     */
    public boolean prune(Table table, Instant cutOff, Batches batches) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (!tryLock(connection)) {
                return false;
            }
            try {
                int rows;
                do {
                    long started = System.nanoTime();
                    rows = deleteBatch(connection, table, cutOff);
                    if (!batches.deleted(table, rows, System.nanoTime() - started)) {
                        break;
                    }
                } while (rows == BATCH);
            } finally {
                Jdbc.queryOne(connection, "SELECT pg_advisory_unlock(?)", row -> row.getBoolean(1), LOCK);
            }
            return true;
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        return Jdbc.queryOne(connection, "SELECT pg_try_advisory_lock(?)", row -> row.getBoolean(1), LOCK)
                .orElse(false);
    }

    private static int deleteBatch(Connection connection, Table table, Instant cutOff) throws SQLException {
        var args = new Object[table.cutOffs + 1];
        java.util.Arrays.fill(args, cutOff);
        args[table.cutOffs] = BATCH;
        return Jdbc.update(connection, table.delete, args);
    }
}
