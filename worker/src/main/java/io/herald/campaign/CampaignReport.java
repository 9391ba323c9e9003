package io.herald.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.store.JsonRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A campaign as {@code herald campaign} shows it: its recipients by state, its message, the message's
 * tracked short URLs with their referral counts, and the referral totals of the last refreshes.
 */
public final class CampaignReport {
    private CampaignReport() {}

    /**
     * The campaign as one JSON object. {@code progress} counts its recipients: {@code recipients} (of the parts
     * received so far), {@code fanned_out}, {@code sent} (at least one call made), {@code succeeded},
     * {@code partial}, {@code dead_lettered}, {@code cancelled} (including those never fanned out) and
     * {@code pending} (the rest).
     */
    public static Optional<ObjectNode> find(DataSource dataSource, String campaignId) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var found = JsonRows.row(connection, """
                    SELECT campaign_id, status, recipients_total AS recipients, sharing_message_token, publisher_ids::text AS publishers,
                           created_at, updated_at, cancelled_at, completed_at, last_refresh_at,
                           (SELECT count(*) FROM campaign_parts p WHERE p.campaign_id = k.campaign_id) AS parts
                      FROM campaigns k WHERE campaign_id = ?""", campaignId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            var campaign = found.get();
            putProgress(connection, campaign, campaignId);
            putReferrals(connection, campaign);
            return Optional.of(campaign);
        }
    }

    /** The campaign's recipients by state, counted over its commands and parts. */
    private static void putProgress(Connection connection, ObjectNode campaign, String campaignId) throws SQLException {
        var prefix = campaignId + ":";
        var counts = JsonRows.row(connection, """
                    SELECT count(*) FILTER (WHERE attempts > 0) AS sent,
                           count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
                           count(*) FILTER (WHERE status = 'partial') AS partial,
                           count(*) FILTER (WHERE status = 'dead_lettered') AS dead_lettered,
                           count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
                           count(*) FILTER (WHERE status = 'in_flight') AS in_flight,
                           (SELECT coalesce(sum(fanned_out), 0) FROM campaign_parts WHERE campaign_id = ?) AS fanned_out,
                           (SELECT coalesce(sum(recipients - fanned_out), 0) FROM campaign_parts
                             WHERE campaign_id = ? AND state = 'cancelled') AS never_sent
                      FROM commands
                     WHERE campaign_id = ? AND type IN ('publish', 'republish') AND left(command_id, ?) = ?""", campaignId, campaignId, campaignId, prefix.length(), prefix)
                .orElseThrow();
        var progress = campaign.putObject("progress");
        long recipients = campaign.path("recipients").asLong();
        long cancelled =
                counts.path("cancelled").asLong() + counts.path("never_sent").asLong();
        long ended = counts.path("succeeded").asLong()
                + counts.path("partial").asLong()
                + counts.path("dead_lettered").asLong()
                + cancelled;
        progress.put("recipients", recipients);
        progress.put("fanned_out", counts.path("fanned_out").asLong());
        progress.put("sent", counts.path("sent").asLong());
        progress.put("succeeded", counts.path("succeeded").asLong());
        progress.put("partial", counts.path("partial").asLong());
        progress.put("dead_lettered", counts.path("dead_lettered").asLong());
        progress.put("cancelled", cancelled);
        progress.put("in_flight", counts.path("in_flight").asLong());
        progress.put("pending", Math.max(0, recipients - ended));
        progress.put("percent_ended", recipients == 0 ? 0 : Math.min(100, Math.round(100.0 * ended / recipients)));
    }

    /** The message's tracked short URLs, their referral totals and the last samples of them. */
    private static void putReferrals(Connection connection, ObjectNode campaign) throws SQLException {
        var token = campaign.path("sharing_message_token").asText(null);
        campaign.set("referrals", JsonRows.row(connection, """
                    SELECT count(*) AS short_urls, coalesce(sum(num_referrals), 0) AS total,
                           (SELECT count(*) FROM publications WHERE sharing_message_token = ?) AS publications
                      FROM short_urls WHERE sharing_message_token = ?""", token, token).orElseThrow());
        campaign.set("short_urls", JsonRows.rows(connection, """
                    SELECT s.short_url, s.original_url, s.num_referrals, s.date_last_referral, p.provider, p.command_id
                      FROM short_urls s LEFT JOIN publications p ON p.id = s.publication_id
                     WHERE s.sharing_message_token = ? ORDER BY s.num_referrals DESC, s.shorturl_token LIMIT 10""", token));
        campaign.set("referral_history", JsonRows.rows(connection, """
                    SELECT * FROM (
                        SELECT date_trunc('second', r.sampled_at) AS sampled_at, sum(r.num_referrals) AS referrals
                          FROM referral_samples r JOIN short_urls s ON s.shorturl_token = r.shorturl_token
                         WHERE s.sharing_message_token = ? GROUP BY 1 ORDER BY 1 DESC LIMIT 12) recent
                     ORDER BY sampled_at""", token));
    }
}
