package io.herald;

import io.herald.config.HeraldConfig;
import io.herald.observe.Metrics;
import io.herald.store.Pruning;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes what is past its retention (docs/operations.md, "Retention") every {@code interval}, on a daemon thread of its
 * own: a round over a large backlog takes minutes, and the housekeeping threads run the processing's timers. One worker
 * at a time prunes ({@link Pruning}); the others find the lock taken and try again at their next round.
 */
final class Retention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final HeraldConfig.Retention settings;
    private final Pruning pruning;
    private final Metrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "herald-retention");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    Retention(HeraldConfig.Retention settings, DataSource dataSource, Metrics metrics, Clock clock) {
        this.settings = settings;
        this.pruning = new Pruning(dataSource);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts the rounds, the first one an interval after the start (a worker starting has other work first). */
    void start() {
        var every = settings.interval().toMillis();
        if (every > 0) {
            executor.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void round() {
        prune(Pruning.Table.COMMANDS, settings.commands());
        prune(Pruning.Table.DEAD_LETTERS, settings.deadLetters());
        prune(Pruning.Table.REFERRAL_SAMPLES, settings.referralSamples());
    }

    private void prune(Pruning.Table table, Duration retention) {
        if (retention.isZero() || closed) {
            return;
        }
        var pruned = new long[1];
        var started = System.nanoTime();
        try {
            pruning.prune(table, clock.instant().minus(retention), (t, rows, nanos) -> {
                pruned[0] += rows;
                metrics.add(
                        "herald_pruned_rows_total",
                        "rows deleted because they were past their retention",
                        rows,
                        "table",
                        t.tableName());
                metrics.observeSeconds(
                        "herald_prune_batch_seconds",
                        "duration of one batch of a prune",
                        nanos / 1e9,
                        "table",
                        t.tableName());
                return !closed;
            });
        } catch (Exception e) {
            // the next round tries again; a database out of reach is the readiness check's to report
            log.warn(
                    "pruning {} failed after {} row(s); the next round tries again ({})",
                    table.tableName(),
                    pruned[0],
                    e.toString());
            return;
        }
        if (pruned[0] > 0) {
            log.info(
                    "pruned {} row(s) of {} past their retention of {} h in {} ms",
                    pruned[0],
                    table.tableName(),
                    retention.toHours(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }
}
