package io.herald.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.WorkerApp;
import io.herald.config.Secret;
import io.herald.embedded.EmbeddedDatabase;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.Migrations;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.IntSupplier;

/**
 * {@code herald-dev bench --prune N}: N ended commands, past the ledger's retention, written before the worker starts,
 * which prunes them {@link #FIRST_ROUND_SECONDS} after its start while the pushes flow. Measures the commands ended
 * per second in the {@link #WINDOW} before the prune, while it runs and in the {@link #WINDOW} after it (when the
 * pushes last that long), and the longest ledger transaction of each phase (a lock wait the prune causes to the
 * ledger writer is part of one), sampled every 100 ms.
 */
final class PruneLoad {
    /** The worker's HERALD_RETENTION_INTERVAL_S: its first round of pruning starts this long after it started. */
    static final int FIRST_ROUND_SECONDS = 60;

    /** How long before the prune and after it the commands ended per second are measured. */
    private static final Duration WINDOW = Duration.ofSeconds(30);

    private static final int CHUNK = 100_000;

    private final int rows;
    private final PrintStream progress;
    private Thread sampler;
    private volatile long pruneStartedAt;
    private volatile long pruneEndedAt;
    private volatile int endedAtStart;
    private volatile int endedAtEnd;
    private volatile double longestBatchBefore;
    private volatile double longestBatchDuring;
    private volatile double longestBatchAfter;
    private volatile double beforeRate;
    private volatile double afterRate = -1;

    PruneLoad(int rows, PrintStream progress) {
        this.rows = rows;
        this.progress = progress;
    }

    /** Writes the aged ended commands, as the worker's pushes leave them (an attempt and a result), in chunks. */
    void seed(String jdbcUrl) throws SQLException {
        if (rows == 0) {
            return;
        }
        try (var dataSource = Database.small(jdbcUrl, EmbeddedDatabase.USER, new Secret(""))) {
            // before a connection is taken: Flyway uses both of the small pool's
            Migrations.apply(dataSource);
            seed(dataSource);
        }
    }

    private void seed(javax.sql.DataSource dataSource) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            long started = System.nanoTime();
            for (int from = 0; from < rows; from += CHUNK) {
                try (var insert = connection.prepareStatement("""
                        INSERT INTO commands (command_id, type, status, attempts, routing_key, endpoint, source_topic,
                                              source_partition, source_offset, claimed_by, attempt_log, result, created_at, updated_at)
                        SELECT 'aged-' || i, 'push', 'succeeded', 1, md5(i::text), 'twitter/post', 'herald.commands', i % 12, i,
                               'bench-seeded', jsonb_build_array(jsonb_build_object('attempt', 1, 'worker_id', 'bench-seeded',
                               'started_at', now() - interval '31 days', 'duration_ms', 100, 'http_status', 200, 'oneall_flag', 'success')),
                               jsonb_build_object('provider', 'twitter', 'object', 'post', 'post_id', md5(i::text),
                               'post_location', 'https://twitter.example/' || i),
                               now() - interval '31 days', now() - interval '31 days'
                          FROM generate_series(?, ?) i""")) {
                    insert.setInt(1, from);
                    insert.setInt(2, Math.min(rows, from + CHUNK) - 1);
                    insert.executeUpdate();
                }
            }
            // rows a month old were vacuumed long ago: the worker should not start beside a vacuum of the fresh rows
            try (var vacuum = connection.createStatement()) {
                vacuum.execute("VACUUM (FREEZE, ANALYZE) commands");
            }
            progress.printf(
                    "bench: %d ended commands past their retention written in %.1f s%n",
                    rows, (System.nanoTime() - started) / 1e9);
        }
    }

    /** The settings the worker prunes with: not at all without rows to prune. */
    String interval() {
        return rows == 0 ? "0" : Integer.toString(FIRST_ROUND_SECONDS);
    }

    /** Follows the worker's prune and its ledger transactions from now on. */
    void watch(WorkerApp worker, IntSupplier ended) {
        if (rows == 0) {
            return;
        }
        sampler = new Thread(() -> sample(worker, ended), "bench-prune-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample(WorkerApp worker, IntSupplier ended) {
        var recent = new ArrayDeque<long[]>();
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            int endedNow = ended.getAsInt();
            var pruned = worker.metrics().counterTotal("herald_pruned_rows_total");
            var batch = WorkerReadings.longestLedgerBatch(worker);
            if (pruned == 0) {
                longestBatchBefore = Math.max(longestBatchBefore, batch);
                recent.addLast(new long[] {now, endedNow});
                while (now - recent.peekFirst()[0] > WINDOW.toNanos()) {
                    recent.removeFirst();
                }
            } else if (pruneEndedAt == 0) {
                if (pruneStartedAt == 0) {
                    pruneStartedAt = now;
                    endedAtStart = endedNow;
                    var first = recent.peekFirst();
                    beforeRate =
                            first == null || now == first[0] ? 0 : (endedNow - first[1]) / ((now - first[0]) / 1e9);
                }
                longestBatchDuring = Math.max(longestBatchDuring, batch);
                if (pruned >= rows) {
                    endedAtEnd = endedNow;
                    pruneEndedAt = now;
                }
            } else {
                longestBatchAfter = Math.max(longestBatchAfter, batch);
                if (now - pruneEndedAt >= WINDOW.toNanos()) {
                    afterRate = (endedNow - endedAtEnd) / ((now - pruneEndedAt) / 1e9);
                    return;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Adds the prune's figures to the summary; a prune that did not end within the run is said so. */
    void report(ObjectNode summary) {
        if (rows == 0) {
            return;
        }
        if (sampler != null) {
            sampler.interrupt();
        }
        var node = summary.putObject("prune");
        node.put("rows", rows);
        node.put("ended", pruneEndedAt != 0);
        if (pruneStartedAt == 0) {
            return;
        }
        node.put("commands_per_s_before", Latencies.round(beforeRate));
        if (pruneEndedAt != 0) {
            double during = (pruneEndedAt - pruneStartedAt) / 1e9;
            node.put("prune_s", Latencies.round(during));
            node.put("rows_per_s", Math.round(rows / during));
            node.put("commands_per_s_during", Latencies.round((endedAtEnd - endedAtStart) / during));
        }
        if (afterRate >= 0) {
            node.put("commands_per_s_after", Latencies.round(afterRate));
        }
        node.put("longest_ledger_transaction_ms_before", Latencies.round(longestBatchBefore * 1000));
        node.put("longest_ledger_transaction_ms_during", Latencies.round(longestBatchDuring * 1000));
        if (afterRate >= 0) {
            node.put("longest_ledger_transaction_ms_after", Latencies.round(longestBatchAfter * 1000));
        }
    }
}
