package io.herald.process;

import io.herald.campaign.CampaignFanOut;
import io.herald.observe.Metrics;
import io.herald.store.Orphans;
import io.herald.store.OutboxRelayItem;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back the commands left {@code pending} that nothing else would ({@link Orphans}), once they have been left so
 * for {@code HERALD_ORPHAN_AFTER_S}: a replay's reopened command gets its record produced again, as the replay would
 * have; a campaign part that fanned out ends, as it would have. Both go through the ledger's own guards, so a row the
 * live path settles meanwhile is left alone. Runs on the housekeeping thread, one worker at a time, in small batches.
 */
public final class Reaper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Reaper.class);
    private static final String METRIC = "herald_orphans_reaped_total";
    private static final String HELP =
            "commands left pending with nothing to bring them back, brought back by the reaper";
    private static final int BATCH = 100;

    private final Orphans orphans;
    private final CampaignFanOut campaigns;
    private final Consumer<List<OutboxRelayItem>> committedOutbox;
    private final String commandsTopic;
    private final Duration bound;
    private final Metrics metrics;

    public Reaper(
            Orphans orphans,
            CampaignFanOut campaigns,
            Consumer<List<OutboxRelayItem>> committedOutbox,
            String commandsTopic,
            Duration bound,
            Metrics metrics) {
        this.orphans = orphans;
        this.campaigns = campaigns;
        this.committedOutbox = committedOutbox;
        this.commandsTopic = commandsTopic;
        this.bound = bound;
        this.metrics = metrics;
    }

    /** How often a worker looks: a tenth of the bound, from 1 s to a minute. */
    public static Duration period(Duration bound) {
        var tenth = bound.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1)
                : tenth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : tenth;
    }

    @Override
    public void run() {
        try {
            reproduceReplays();
            endFannedOutParts();
        } catch (RuntimeException e) {
            log.warn("orphaned commands not looked for this time ({}); the next pass does", e.toString());
        }
    }

    private void reproduceReplays() {
        var items = orphans.reproduceReplays(bound, BATCH, commandsTopic);
        if (items.isEmpty()) {
            return;
        }
        committedOutbox.accept(items);
        metrics.add(METRIC, HELP, items.size(), "kind", "replay");
        log.warn(
                "{} replayed command(s) reopened more than {} s ago were never put on the topic (the replay died);"
                        + " their records are produced again",
                items.size(),
                bound.toSeconds());
    }

    private void endFannedOutParts() {
        for (var part : orphans.fannedOutParts(bound, BATCH)) {
            campaigns.endFannedOut(part).whenComplete((ended, error) -> {
                if (error != null) {
                    log.warn("campaign part {} not ended this time ({})", part.commandId(), error.toString());
                } else if (ended) {
                    metrics.increment(METRIC, HELP, "kind", "campaign_part");
                    log.warn(
                            "campaign part {} had fanned out and was left pending for more than {} s; it ends succeeded",
                            part.commandId(),
                            bound.toSeconds());
                }
            });
        }
    }
}
