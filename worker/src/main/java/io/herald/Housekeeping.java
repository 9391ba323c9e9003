package io.herald;

import io.herald.campaign.CampaignFanOut;
import io.herald.config.HeraldConfig;
import io.herald.observe.Metrics;
import io.herald.process.Reaper;
import io.herald.store.IdentityHolds;
import io.herald.store.Orphans;
import io.herald.store.OutboxRelayItem;
import io.herald.store.jdbc.Database;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker's background chores, on two daemon threads that the processing shares for its own timers, and the database probe on a third. */
final class Housekeeping implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, runnable -> {
        var thread = new Thread(runnable, "herald-housekeeping");
        thread.setDaemon(true);
        return thread;
    });
    /**
     * The database probe's own thread: the chores above may each wait 10 s for a connection while the database is
     * out of reach, and a probe queued behind them would keep the worker not ready long after the database is back.
     */
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "herald-database-probe");
        thread.setDaemon(true);
        return thread;
    });

    private volatile boolean databaseReachable = true;

    ScheduledExecutorService executor() {
        return executor;
    }

    /** Checks the database every 2 s: readiness follows it even while no batch is written. */
    void watchDatabase(DataSource dataSource) {
        probe.scheduleWithFixedDelay(() -> databaseReachable = Database.reachable(dataSource), 2, 2, TimeUnit.SECONDS);
    }

    boolean databaseReachable() {
        return databaseReachable;
    }

    /** Identities an operator resumed are drained at once ({@code wake}); holds that expired with nothing waiting end. */
    void watchIdentities(IdentityHolds holds, Consumer<String> wake, Metrics metrics) {
        var since = new Instant[] {Instant.now().minusSeconds(5)};
        var held = new AtomicLong();
        metrics.gauge(
                "herald_identities_held",
                "identities whose commands wait because OneAll refused their credentials",
                held::get);
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        var now = Instant.now();
                        holds.resumedSince(since[0].minusSeconds(2)).forEach(wake);
                        since[0] = now;
                        held.set(holds.sweep());
                    } catch (Exception e) {
                        log.debug("identity holds not read this time ({})", e.toString());
                    }
                },
                2,
                2,
                TimeUnit.SECONDS);
    }

    /** Looks for orphaned commands ({@link Reaper}) every {@link Reaper#period} of {@code HERALD_ORPHAN_AFTER_S}. */
    void reapOrphans(
            Orphans orphans,
            CampaignFanOut campaigns,
            Consumer<List<OutboxRelayItem>> committedOutbox,
            HeraldConfig config,
            Metrics metrics) {
        var bound = config.retries().orphanAfter();
        var reaper =
                new Reaper(orphans, campaigns, committedOutbox, config.kafka().commandsTopic(), bound, metrics);
        long period = Reaper.period(bound).toMillis();
        executor.scheduleWithFixedDelay(reaper, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        probe.shutdownNow();
    }
}
