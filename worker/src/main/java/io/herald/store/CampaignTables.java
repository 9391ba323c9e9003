package io.herald.store;

/**
 * Every statement that writes the campaign tables, {@code campaigns} and {@code campaign_parts}: those of the fan-out
 * ({@code campaign.CampaignStore}) and of a campaign's life ({@code campaign.CampaignLifecycle}), and the ledger's
 * counts of ended recipients, fragments of the ledger's statements ({@link LedgerSql}, {@link Records#campaignCounts}).
 * A fan-out step and a cancel lock the campaign's row first, then its parts' (and a cancel its recipients' commands).
 *
 * <p>A campaign counts its recipients as they end ({@code campaigns.recipients_ended}) and completes when all have. A
 * recipient that goes back from an end to {@code pending} (a replay reopens its dead letter; an unknown outcome of a
 * call never sent is undone) is counted out again, and a campaign it had completed is active again, so that it is
 * counted once when it ends once more and the campaign completes when it truly has.
 */
public final class CampaignTables {

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

    /** A campaign registered by the first of its parts to arrive: campaign id, parts JSON. */
    public static final String REGISTER =
            "INSERT INTO campaigns (campaign_id, parts) VALUES (?, ?::jsonb) ON CONFLICT DO NOTHING";

    /** A part registered once: campaign id, part command id, recipient offset, recipients. */
    public static final String REGISTER_PART = """
            INSERT INTO campaign_parts (campaign_id, command_id, recipient_offset, recipients) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    /** A campaign counts the recipients of its parts, and is active again when a new part came after it completed. */
    public static final String COUNT_RECIPIENTS = """
            UPDATE campaigns SET recipients_total = (SELECT sum(recipients) FROM campaign_parts WHERE campaign_id = ?),
                   status = CASE WHEN status = 'completed' THEN 'active' ELSE status END, updated_at = now()
             WHERE campaign_id = ?""";

    /** The message's token, once its publisher's publish has one: token, campaign id. */
    public static final String MESSAGE_PUBLISHED =
            "UPDATE campaigns SET sharing_message_token = ?, updated_at = now() WHERE campaign_id = ?";

    /** A recipient chosen as the (next) publisher: its command id, campaign id. */
    public static final String CHOOSE_PUBLISHER = """
            UPDATE campaigns SET publisher_ids = array_append(publisher_ids, ?), publish_sent_at = NULL, updated_at = now()
             WHERE campaign_id = ?""";

    /** The current publisher's publish is on the topic: campaign id. */
    public static final String PUBLISH_SENT =
            "UPDATE campaigns SET publish_sent_at = now(), updated_at = now() WHERE campaign_id = ?";

    /** A part fans out: campaign id, part command id. */
    public static final String FAN_OUT_PART =
            "UPDATE campaign_parts SET state = 'fanning_out' WHERE campaign_id = ? AND command_id = ?";

    /** Kafka acknowledged a part's recipients up to a place: place, place, campaign id, part command id. */
    public static final String FANNED_OUT = """
            UPDATE campaign_parts SET fanned_out = greatest(fanned_out, ?), state = CASE WHEN ? >= recipients THEN 'fanned_out' ELSE state END
             WHERE campaign_id = ? AND command_id = ?""";

    /** A part of a cancelled campaign sends nothing more: campaign id, part command id. */
    public static final String CANCEL_PART =
            "UPDATE campaign_parts SET state = 'cancelled' WHERE campaign_id = ? AND command_id = ?";

    /** A campaign cancelled, unless it was: campaign id. Locks its row before its parts and recipients' rows. */
    public static final String CANCEL = """
            UPDATE campaigns SET status = 'cancelled', cancelled_at = now(), updated_at = now() WHERE campaign_id = ? AND status <> 'cancelled'""";

    /** The parts of a cancelled campaign that did not fan out send nothing more: campaign id. */
    public static final String CANCEL_PARTS =
            "UPDATE campaign_parts SET state = 'cancelled' WHERE campaign_id = ? AND state <> 'fanned_out'";

    /** Claims the campaigns due for a referral refresh, marked refreshed now: tracking period and interval in seconds, limit. */
    public static final String DUE_FOR_REFRESH = """
            UPDATE campaigns SET last_refresh_at = now()
             WHERE campaign_id IN (
                   SELECT campaign_id FROM campaigns
                    WHERE status IN ('active', 'completed') AND sharing_message_token IS NOT NULL
                      AND created_at > now() - make_interval(secs => ?)
                      AND (last_refresh_at IS NULL OR last_refresh_at < now() - make_interval(secs => ?))
                    ORDER BY last_refresh_at NULLS FIRST LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING campaign_id, sharing_message_token, last_refresh_at""";

    /** The active campaigns whose every recipient ended are completed. */
    public static final String COMPLETE = """
            UPDATE campaigns k SET status = 'completed', completed_at = now(), updated_at = now()
             WHERE status = 'active' AND recipients_total > 0 AND recipients_ended >= recipients_total
               AND NOT EXISTS (SELECT 1 FROM campaign_parts p WHERE p.campaign_id = k.campaign_id AND p.state <> 'fanned_out')""";

    private CampaignTables() {}
}
