package io.herald.store;

/**
 * A campaign counts its recipients as they end ({@code campaigns.recipients_ended}, {@link Records#campaignCounts}) and
 * completes when all have. A recipient that goes back from an end to {@code pending} (a replay reopens its dead letter;
 * an unknown outcome of a call never sent is undone) is counted out again, and a campaign it had completed is active
 * again, so that it is counted once when it ends once more and the campaign completes when it truly has.
 */
final class CampaignRecount {
    /**
     * A common table expression to follow one named {@code reopened} whose rows have the reopened commands'
     * {@code command_id}, {@code campaign_id} and {@code type}.
     */
    static final String UNCOUNT_REOPENED = """
            uncounted AS (
                UPDATE campaigns k
                   SET recipients_ended = greatest(k.recipients_ended - r.n, 0),
                       status = CASE WHEN k.status = 'completed' THEN 'active' ELSE k.status END,
                       completed_at = CASE WHEN k.status = 'completed' THEN NULL ELSE k.completed_at END,
                       updated_at = now()
                  FROM (SELECT campaign_id, count(*) AS n FROM reopened
                         WHERE campaign_id IS NOT NULL AND type IN ('publish', 'republish')
                           AND left(command_id, length(campaign_id) + 1) = campaign_id || ':'
                         GROUP BY campaign_id) r
                 WHERE k.campaign_id = r.campaign_id)""";

    /** A campaign counts the recipients that ended in a ledger writer's batch ({@link Records#campaignCounts}). */
    static final String COUNT_ENDED =
            "UPDATE campaigns SET recipients_ended = recipients_ended + ?, updated_at = now() WHERE campaign_id = ?";

    /**
     * A common table expression to follow one named {@code cancelled} whose rows have the cancelled commands'
     * {@code command_id}, {@code campaign_id} and {@code type}: each campaign counts its recipients among them as ended.
     */
    static final String COUNT_CANCELLED = """
            counted AS (
                UPDATE campaigns k SET recipients_ended = k.recipients_ended + r.n, updated_at = now()
                  FROM (SELECT campaign_id, count(*) AS n FROM cancelled
                         WHERE campaign_id IS NOT NULL AND type IN ('publish', 'republish')
                           AND left(command_id, length(campaign_id) + 1) = campaign_id || ':'
                         GROUP BY campaign_id) r
                 WHERE k.campaign_id = r.campaign_id)""";

    private CampaignRecount() {}
}
