package io.herald.campaign;

import static io.herald.store.jdbc.Jdbc.update;

import io.herald.store.CampaignTables;
import io.herald.store.Cancellations;
import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A campaign's life after its fan-out: cancellation, completion, and the refreshes that sample its referrals. */
public final class CampaignLifecycle {
    private final Jdbc jdbc;
    private final String outcomesTopic;

    public CampaignLifecycle(Jdbc jdbc, String outcomesTopic) {
        this.jdbc = jdbc;
        this.outcomesTopic = outcomesTopic;
    }

    /**
     * Cancels a campaign: parts not fanned out send nothing more, recipients waiting in the ledger end {@code cancelled}
     * (with their outcome events), and those still on the topic end {@code cancelled} when a worker claims them.
     * Returns false when the campaign is unknown or already cancelled. A relay sends the events (any worker's).
     */
    public boolean cancel(String campaignId) throws SQLException {
        return jdbc.inTransactionRetried(connection -> {
            int changed = update(connection, CampaignTables.CANCEL, campaignId);
            if (changed == 0) {
                return false;
            }
            update(connection, CampaignTables.CANCEL_PARTS, campaignId);
            Cancellations.cancelRecipients(connection, campaignId, outcomesTopic);
            return true;
        });
    }

    /** A campaign whose message should be refreshed now. */
    public record Due(String campaignId, String sharingMessageToken, Instant at) {}

    /** Claims the active campaigns whose message is due for a referral refresh (each worker gets others), marked refreshed now. */
    public List<Due> dueForRefresh(Duration interval, Duration trackingPeriod, int limit) throws SQLException {
        return jdbc.inTransaction(connection -> Jdbc.query(
                connection,
                CampaignTables.DUE_FOR_REFRESH,
                row -> new Due(row.getString(1), row.getString(2), Jdbc.instant(row, "last_refresh_at")),
                (double) trackingPeriod.toSeconds(),
                interval.toMillis() / 1000.0,
                limit));
    }

    /** Marks active campaigns whose every recipient ended as completed. */
    public int markCompleted() throws SQLException {
        return jdbc.update(CampaignTables.COMPLETE);
    }
}
