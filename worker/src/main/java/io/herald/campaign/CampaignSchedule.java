package io.herald.campaign;

import io.herald.config.HeraldConfig;
import io.herald.observe.Metrics;
import io.herald.route.Publisher;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaigns' housekeeping, on every worker: marks campaigns whose recipients all ended as
 * completed, and enqueues a {@code refresh} of each active campaign's message every
 * {@code HERALD_CAMPAIGN_REFRESH_S} during its tracking period, so its referral counts are sampled
 * over time. Workers claim due campaigns with {@code SKIP LOCKED}: each refresh is enqueued once.
 */
public final class CampaignSchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CampaignSchedule.class);
    private static final Duration TICK = Duration.ofSeconds(2);

    private final HeraldConfig.Campaigns settings;
    private final String commandsTopic;
    private final CampaignLifecycle store;
    private final Publisher publisher;
    private final Metrics metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "herald-campaign-schedule");
        thread.setDaemon(true);
        return thread;
    });

    public CampaignSchedule(
            HeraldConfig.Campaigns settings,
            String commandsTopic,
            CampaignLifecycle store,
            Publisher publisher,
            Metrics metrics) {
        this.settings = settings;
        this.commandsTopic = commandsTopic;
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    public CampaignSchedule start() {
        scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            int completed = store.markCompleted();
            if (completed > 0) {
                log.info("{} campaign(s) completed", completed);
            }
            if (settings.refreshInterval().isZero()) {
                return;
            }
            for (var due : store.dueForRefresh(settings.refreshInterval(), settings.trackingPeriod(), 100)) {
                var commandId = due.campaignId() + ":refresh:" + due.at().getEpochSecond();
                publisher.send(
                        FanOutCommands.refresh(commandsTopic, due.campaignId(), due.sharingMessageToken(), commandId));
                metrics.increment(
                        "herald_campaign_refreshes_total", "refresh commands enqueued for campaigns' referral counts");
            }
        } catch (Exception e) {
            log.warn("campaign schedule skipped a turn: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
