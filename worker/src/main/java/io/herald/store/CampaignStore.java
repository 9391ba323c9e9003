package io.herald.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The campaign tables: which parts of a campaign arrived, who publishes its message, how far each part
 * has fanned out, and whether it was cancelled. Every decision is taken in one transaction holding the
 * campaign's row, so two parts (or two workers after a rebalance) never pick two publishers.
 */
public final class CampaignStore {
    /** How many recipients in a row may be tried as the publisher when the publish fails for good. */
    public static final int MAX_PUBLISHERS = 3;

    private static final String ENDED = "('succeeded', 'partial', 'dead_lettered', 'cancelled')";

    /** A part of a campaign as consumed: its command, where it was read, how many recipients it carries. */
    public record Part(ClaimRequest command, String campaignId, String partsJson, int recipientOffset, int recipients) {}

    /** What a part should do next. */
    public sealed interface Step {
        /** The part was fanned out completely before (a duplicate, or a redelivery after a crash at the very end). */
        record AlreadyFannedOut() implements Step {}

        /** The campaign is cancelled: the part sends nothing more. */
        record Cancelled() implements Step {}

        /** This part's recipient {@code index} is the campaign's publisher: send its {@code publish} command. */
        record Publish(int index) implements Step {}

        /** The message is not published yet; {@code reason} says what it waits for. */
        record AwaitMessage(String reason, boolean stalled) implements Step {}

        /** As many recipients of the campaign as the window allows are on the topic and not ended yet. */
        record WindowFull(long outstanding) implements Step {}

        /**
         * Fan out recipients {@code from} (inclusive) to {@code to} (exclusive) of this part as re-publishes of
         * {@code token}, skipping the publishers.
         */
        record FanOut(String token, int from, int to, List<String> publisherIds) implements Step {}
    }

    private final DataSource dataSource;

    public CampaignStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Registers the part (once) and decides its next step; at most {@code chunk} recipients per fan-out step. */
    public Step next(Part part, int window, int chunk) throws SQLException {
        return inTransaction(connection -> {
            update(connection, "INSERT INTO campaigns (campaign_id, parts) VALUES (?, ?::jsonb) ON CONFLICT DO NOTHING",
                    part.campaignId(), part.partsJson());
            update(connection, """
                    INSERT INTO campaign_parts (campaign_id, command_id, recipient_offset, recipients) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""", part.campaignId(), part.command().commandId(), part.recipientOffset(),
                    part.recipients());
            String status;
            List<String> publishers;
            boolean publishSent;
            String token;
            try (var statement = connection.prepareStatement("""
                    SELECT status, publisher_ids, publish_sent_at IS NOT NULL, sharing_message_token
                      FROM campaigns WHERE campaign_id = ? FOR UPDATE""")) {
                statement.setString(1, part.campaignId());
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    status = rows.getString(1);
                    publishers = new ArrayList<>(Arrays.asList((String[]) rows.getArray(2).getArray()));
                    publishSent = rows.getBoolean(3);
                    token = rows.getString(4);
                }
            }
            update(connection, """
                    UPDATE campaigns SET recipients_total = (SELECT sum(recipients) FROM campaign_parts WHERE campaign_id = ?),
                           status = CASE WHEN status = 'completed' THEN 'active' ELSE status END, updated_at = now()
                     WHERE campaign_id = ?""", part.campaignId(), part.campaignId());
            int fannedOut;
            String state;
            try (var statement = connection.prepareStatement(
                    "SELECT state, fanned_out FROM campaign_parts WHERE campaign_id = ? AND command_id = ?")) {
                statement.setString(1, part.campaignId());
                statement.setString(2, part.command().commandId());
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    state = rows.getString(1);
                    fannedOut = rows.getInt(2);
                }
            }
            if (state.equals("fanned_out")) {
                return new Step.AlreadyFannedOut();
            }
            if (status.equals("cancelled") || state.equals("cancelled")) {
                update(connection, "UPDATE campaign_parts SET state = 'cancelled' WHERE campaign_id = ? AND command_id = ?",
                        part.campaignId(), part.command().commandId());
                return new Step.Cancelled();
            }
            if (token == null) {
                token = publishedToken(connection, part, publishers);
            }
            if (token == null) {
                return publisherStep(connection, part, publishers, publishSent);
            }
            long outstanding = outstanding(connection, part.campaignId());
            long room = window - outstanding;
            if (room <= 0) {
                return new Step.WindowFull(outstanding);
            }
            int to = (int) Math.min(part.recipients(), fannedOut + Math.min(room, chunk));
            update(connection, "UPDATE campaign_parts SET state = 'fanning_out' WHERE campaign_id = ? AND command_id = ?",
                    part.campaignId(), part.command().commandId());
            return new Step.FanOut(token, fannedOut, to, List.copyOf(publishers));
        });
    }

    /** The message's token once the current publisher's publish has one (it may still retry some providers). */
    private static String publishedToken(Connection connection, Part part, List<String> publishers) throws SQLException {
        if (publishers.isEmpty()) {
            return null;
        }
        String token = null;
        try (var statement = connection.prepareStatement(
                "SELECT sharing_message_token FROM sharing_messages WHERE command_id = ? ORDER BY created_at LIMIT 1")) {
            statement.setString(1, publishers.get(publishers.size() - 1));
            try (var rows = statement.executeQuery()) {
                if (rows.next()) {
                    token = rows.getString(1);
                }
            }
        }
        if (token != null) {
            update(connection, "UPDATE campaigns SET sharing_message_token = ?, updated_at = now() WHERE campaign_id = ?",
                    token, part.campaignId());
        }
        return token;
    }

    /**
     * Without a message yet: the first part to get here picks its first recipient as the publisher. A
     * publish that failed for good (nothing was published) passes the role to the next recipient, up
     * to {@link #MAX_PUBLISHERS}; one whose outcome is unknown does not, as the message may exist.
     */
    private static Step publisherStep(Connection connection, Part part, List<String> publishers, boolean publishSent)
            throws SQLException {
        if (publishers.isEmpty()) {
            return choosePublisher(connection, part, publishers, 0);
        }
        var current = publishers.get(publishers.size() - 1);
        int mine = indexInPart(part, current);
        if (!publishSent) {
            return mine >= 0 ? new Step.Publish(mine) : new Step.AwaitMessage("its publisher's part to send the publish", false);
        }
        String status = null;
        String errorClass = null;
        String error = null;
        try (var statement = connection.prepareStatement(
                "SELECT status, last_error_class, last_error FROM commands WHERE command_id = ?")) {
            statement.setString(1, current);
            try (var rows = statement.executeQuery()) {
                if (rows.next()) {
                    status = rows.getString(1);
                    errorClass = rows.getString(2);
                    error = rows.getString(3);
                }
            }
        }
        if (!"dead_lettered".equals(status)) {
            return new Step.AwaitMessage("publish " + current + " (" + (status == null ? "not consumed yet" : status) + ")", false);
        }
        boolean nothingPublished = "permanent".equals(errorClass) || "invalid".equals(errorClass) || "exhausted".equals(errorClass);
        if (nothingPublished && publishers.size() < MAX_PUBLISHERS) {
            for (int index = 0; index < part.recipients(); index++) {
                if (!publishers.contains(recipientId(part, index))) {
                    return choosePublisher(connection, part, publishers, index);
                }
            }
        }
        return new Step.AwaitMessage("publish " + current + " was dead-lettered as " + errorClass + " (" + error
                + "); replay it or cancel the campaign", true);
    }

    private static Step choosePublisher(Connection connection, Part part, List<String> publishers, int index) throws SQLException {
        update(connection, """
                UPDATE campaigns SET publisher_ids = array_append(publisher_ids, ?), publish_sent_at = NULL, updated_at = now()
                 WHERE campaign_id = ?""", recipientId(part, index), part.campaignId());
        return new Step.Publish(index);
    }

    /** The publish command of the current publisher is on the topic. */
    public void publishSent(String campaignId) throws SQLException {
        inTransaction(connection -> update(connection,
                "UPDATE campaigns SET publish_sent_at = now(), updated_at = now() WHERE campaign_id = ?", campaignId));
    }

    /** Kafka acknowledged the part's recipients up to {@code fannedOut} (exclusive). */
    public void fannedOut(Part part, int fannedOut) throws SQLException {
        inTransaction(connection -> update(connection, """
                UPDATE campaign_parts SET fanned_out = greatest(fanned_out, ?),
                       state = CASE WHEN ? >= recipients THEN 'fanned_out' ELSE state END
                 WHERE campaign_id = ? AND command_id = ?""", fannedOut, fannedOut, part.campaignId(), part.command().commandId()));
    }

    /** Recipients of the campaign fanned out (acknowledged by Kafka) whose command has not ended yet. */
    private static long outstanding(Connection connection, String campaignId) throws SQLException {
        try (var statement = connection.prepareStatement("""
                SELECT (SELECT coalesce(sum(fanned_out), 0) FROM campaign_parts WHERE campaign_id = ?)
                     - (SELECT count(*) FROM commands WHERE campaign_id = ? AND type = 'republish' AND status IN %s
                           AND left(command_id, ?) = ?)""".formatted(ENDED))) {
            statement.setString(1, campaignId);
            statement.setString(2, campaignId);
            statement.setInt(3, campaignId.length() + 1);
            statement.setString(4, campaignId + ":");
            try (var rows = statement.executeQuery()) {
                rows.next();
                return Math.max(0, rows.getLong(1));
            }
        }
    }

    /** Writes the ledger row of the part itself: waiting (with its Kafka value, to be drained) or ended. */
    public void partRow(ClaimRequest command, String status, byte[] payload, Instant nextAttemptAt, String lastError)
            throws SQLException {
        inTransaction(connection -> {
            try (var statement = connection.prepareStatement("""
                    INSERT INTO commands AS c (command_id, type, status, attempts, routing_key, campaign_id, source_topic,
                                               source_partition, source_offset, payload, metadata, next_attempt_at, last_error)
                    VALUES (?, 'campaign', ?, 0, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                    ON CONFLICT (command_id) DO UPDATE
                       SET status = EXCLUDED.status, payload = EXCLUDED.payload, next_attempt_at = EXCLUDED.next_attempt_at,
                           last_error = EXCLUDED.last_error, source_topic = EXCLUDED.source_topic,
                           source_partition = EXCLUDED.source_partition, source_offset = EXCLUDED.source_offset, updated_at = now()
                     WHERE c.status IN ('pending', 'in_flight')""")) {
                statement.setString(1, command.commandId());
                statement.setString(2, status);
                statement.setString(3, command.routingKey());
                statement.setString(4, command.campaignId());
                statement.setString(5, command.topic());
                statement.setInt(6, command.partition());
                statement.setLong(7, command.offset());
                statement.setBytes(8, payload);
                statement.setString(9, command.metadataJson());
                statement.setTimestamp(10, nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt));
                statement.setString(11, lastError);
                statement.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Cancels a campaign: parts not fanned out send nothing more, and recipients waiting in the ledger
     * (for a retry, or behind one) end {@code cancelled}; commands still on the topic end {@code cancelled}
     * when a worker claims them. Returns false when the campaign is unknown or already cancelled.
     */
    public boolean cancel(String campaignId) throws SQLException {
        return inTransaction(connection -> {
            int changed = update(connection, """
                    UPDATE campaigns SET status = 'cancelled', cancelled_at = now(), updated_at = now()
                     WHERE campaign_id = ? AND status <> 'cancelled'""", campaignId);
            if (changed == 0) {
                return false;
            }
            update(connection, "UPDATE campaign_parts SET state = 'cancelled' WHERE campaign_id = ? AND state <> 'fanned_out'",
                    campaignId);
            update(connection, """
                    UPDATE commands SET status = 'cancelled', payload = NULL, next_attempt_at = NULL,
                           last_error = 'the campaign was cancelled', updated_at = now()
                     WHERE campaign_id = ? AND status = 'pending'""", campaignId);
            return true;
        });
    }

    /**
     * Claims the active campaigns whose message is due for a referral refresh (each worker gets others), and
     * marks them refreshed now.
     */
    public List<Due> dueForRefresh(Duration interval, Duration trackingPeriod, int limit) throws SQLException {
        return inTransaction(connection -> {
            var due = new ArrayList<Due>();
            try (var statement = connection.prepareStatement("""
                    UPDATE campaigns SET last_refresh_at = now()
                     WHERE campaign_id IN (
                           SELECT campaign_id FROM campaigns
                            WHERE status IN ('active', 'completed') AND sharing_message_token IS NOT NULL
                              AND created_at > now() - make_interval(secs => ?)
                              AND (last_refresh_at IS NULL OR last_refresh_at < now() - make_interval(secs => ?))
                            ORDER BY last_refresh_at NULLS FIRST LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING campaign_id, sharing_message_token, last_refresh_at""")) {
                statement.setDouble(1, trackingPeriod.toSeconds());
                statement.setDouble(2, interval.toMillis() / 1000.0);
                statement.setInt(3, limit);
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        due.add(new Due(rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant()));
                    }
                }
            }
            return due;
        });
    }

    /** A campaign whose message should be refreshed now. */
    public record Due(String campaignId, String sharingMessageToken, Instant at) {}

    /** Marks active campaigns whose every recipient ended as completed. */
    public int markCompleted() throws SQLException {
        return inTransaction(connection -> update(connection, """
                UPDATE campaigns k SET status = 'completed', completed_at = now(), updated_at = now()
                 WHERE status = 'active' AND recipients_total > 0
                   AND NOT EXISTS (SELECT 1 FROM campaign_parts p WHERE p.campaign_id = k.campaign_id AND p.state <> 'fanned_out')
                   AND (SELECT count(*) FROM commands c WHERE c.campaign_id = k.campaign_id AND c.type IN ('publish', 'republish')
                           AND c.status IN %s AND left(c.command_id, length(k.campaign_id) + 1) = k.campaign_id || ':')
                       >= k.recipients_total""".formatted(ENDED)));
    }

    private static String recipientId(Part part, int index) {
        return part.campaignId() + ":" + (part.recipientOffset() + index);
    }

    private static int indexInPart(Part part, String commandId) {
        var prefix = part.campaignId() + ":";
        if (!commandId.startsWith(prefix)) {
            return -1;
        }
        try {
            int index = Integer.parseInt(commandId.substring(prefix.length())) - part.recipientOffset();
            return index >= 0 && index < part.recipients() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int update(Connection connection, String sql, Object... args) throws SQLException {
        try (var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            return statement.executeUpdate();
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                var result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
