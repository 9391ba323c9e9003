package io.herald.store;

import io.herald.command.CommandStatus;
import io.herald.store.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the operator console reads from the ledger, beside {@link CommandRecords}, {@link DeadLetterStore},
 * {@link IdentityHolds} and the campaign report. Counts over commands look at the last day's commands only (by
 * {@code created_at}, which is indexed), so the overview costs the same on a ledger of a year.
 */
public final class ConsoleQueries {
    private static final String ENDED = CommandStatus.sqlList(CommandStatus.ENDED);

    private final Jdbc jdbc;

    public ConsoleQueries(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Commands created in the last hour and in the last day with one status. */
    public record StatusCount(String status, long lastHour, long lastDay) {}

    public List<StatusCount> commandsByStatus() throws SQLException {
        return jdbc.query("""
                SELECT status, count(*) FILTER (WHERE created_at > now() - interval '1 hour'), count(*)
                  FROM commands WHERE created_at > now() - interval '1 day' GROUP BY status ORDER BY status""", row -> new StatusCount(row.getString(1), row.getLong(2), row.getLong(3)));
    }

    /** Commands that ended in each of the last 60 minutes, the oldest minute first. */
    public List<Long> endedPerMinute() throws SQLException {
        var perMinute = new ArrayList<>(Collections.nCopies(60, 0L));
        jdbc.query("""
                SELECT floor(extract(epoch FROM now() - updated_at) / 60)::int, count(*)
                  FROM commands WHERE created_at > now() - interval '1 day' AND updated_at > now() - interval '1 hour'
                   AND status IN""" + " " + ENDED + " GROUP BY 1", row -> {
            int minutesAgo = Math.max(0, Math.min(59, row.getInt(1)));
            perMinute.set(59 - minutesAgo, perMinute.get(59 - minutesAgo) + row.getLong(2));
            return null;
        });
        return perMinute;
    }

    /**
     * What waits: commands parked in the ledger, commands in flight (created in the last day), and the outbox's records
     * not yet handed to Kafka with the age of the oldest.
     */
    public record Waiting(long parked, long inFlight, long outbox, Instant oldestOutbox, long heldIdentities) {}

    public Waiting waiting() throws SQLException {
        return jdbc.queryOne(
                        """
                SELECT (SELECT count(*) FROM parked),
                       (SELECT count(*) FROM commands WHERE status = 'in_flight' AND created_at > now() - interval '1 day'),
                       (SELECT count(*) FROM outbox), (SELECT min(created_at) FROM outbox) AS oldest,
                       (SELECT count(*) FROM identity_holds WHERE resumed_at IS NULL AND ended_at IS NULL)""",
                        row -> new Waiting(
                                row.getLong(1),
                                row.getLong(2),
                                row.getLong(3),
                                Jdbc.instant(row, "oldest"),
                                row.getLong(5)))
                .orElseThrow();
    }

    /** Dead letters of one class: not yet replayed (nor superseded), of the last day, in all. */
    public record ClassCount(String errorClass, long open, long lastDay, long total) {}

    public List<ClassCount> deadLettersByClass() throws SQLException {
        return jdbc.query("""
                SELECT error_class, count(*) FILTER (WHERE replayed_at IS NULL AND superseded_at IS NULL),
                       count(*) FILTER (WHERE failed_at > now() - interval '1 day'), count(*)
                  FROM dead_letters GROUP BY 1 ORDER BY 1""", row -> new ClassCount(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4)));
    }

    /** Dead letters of one class and command type, with the latest one's time. */
    public record DeadLetterGroup(String errorClass, String type, long open, long total, Instant latest) {}

    public List<DeadLetterGroup> deadLetterGroups() throws SQLException {
        return jdbc.query(
                """
                SELECT error_class, type, count(*) FILTER (WHERE replayed_at IS NULL AND superseded_at IS NULL), count(*), max(failed_at) AS latest
                  FROM dead_letters GROUP BY 1, 2 ORDER BY 1, 2""",
                row -> new DeadLetterGroup(
                        row.getString(1),
                        row.getString(2),
                        row.getLong(3),
                        row.getLong(4),
                        Jdbc.instant(row, "latest")));
    }

    /** OneAll's answers to the calls of the last five minutes, by HTTP status ({@code none}: no answer), from the attempt logs. */
    public record AnswerCount(String httpStatus, long calls) {}

    public List<AnswerCount> recentAnswers() throws SQLException {
        return jdbc.query("""
                SELECT coalesce(e ->> 'http_status', 'none'), count(*)
                  FROM commands c, jsonb_array_elements(c.attempt_log) e
                 WHERE c.created_at > now() - interval '1 day' AND c.updated_at > now() - interval '5 minutes'
                   AND (e ->> 'started_at')::timestamptz > now() - interval '5 minutes'
                 GROUP BY 1 ORDER BY 1""", row -> new AnswerCount(row.getString(1), row.getLong(2)));
    }

    /** A command as lists show it. */
    public record CommandRow(
            String commandId,
            String type,
            String status,
            int attempts,
            String routingKey,
            String campaignId,
            String lastErrorClass,
            Instant createdAt,
            Instant updatedAt) {}

    private static final String COMMAND_ROW = """
            SELECT command_id, type, status, attempts, routing_key, campaign_id, last_error_class, created_at, updated_at FROM commands""";

    private static CommandRow commandRow(ResultSet row) throws SQLException {
        return new CommandRow(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getInt(4),
                row.getString(5),
                row.getString(6),
                row.getString(7),
                Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"));
    }

    /** The commands whose id, routing key or campaign is {@code term}, newest first. */
    public List<CommandRow> findCommands(String term, int limit) throws SQLException {
        return jdbc.query(
                COMMAND_ROW
                        + " WHERE command_id = ? OR routing_key = ? OR campaign_id = ? ORDER BY created_at DESC LIMIT ?",
                ConsoleQueries::commandRow,
                term,
                term,
                term,
                limit);
    }

    /** The latest commands, of one status when {@code status} is not null (created in the last day, then). */
    public List<CommandRow> latestCommands(String status, int limit) throws SQLException {
        if (status == null) {
            return jdbc.query(COMMAND_ROW + " ORDER BY created_at DESC LIMIT ?", ConsoleQueries::commandRow, limit);
        }
        return jdbc.query(
                COMMAND_ROW
                        + " WHERE status = ? AND created_at > now() - interval '1 day' ORDER BY created_at DESC LIMIT ?",
                ConsoleQueries::commandRow,
                status,
                limit);
    }

    /**
     * The command's Kafka value while the ledger still has it: parked, or kept with its latest dead letter (not a
     * {@code conflict} letter, which holds another body under its id).
     */
    public Optional<byte[]> commandValue(String commandId) throws SQLException {
        return jdbc.queryOne("""
                SELECT payload FROM parked WHERE command_id = ?
                UNION ALL (SELECT record_value FROM dead_letters WHERE command_id = ? AND error_class <> 'conflict'
                            ORDER BY id DESC LIMIT 1) LIMIT 1""", row -> row.getBytes(1), commandId, commandId);
    }

    /** A sharing message a command created or published, with its parts as OneAll has them. */
    public record Message(String token, String partsJson, Instant createdAt, Instant deletedAt) {}

    public List<Message> messagesOf(String commandId) throws SQLException {
        return jdbc.query(
                """
                SELECT sharing_message_token, parts::text, date_creation, deleted_at FROM sharing_messages
                 WHERE command_id = ? OR sharing_message_token IN (SELECT sharing_message_token FROM publications WHERE command_id = ?)
                 ORDER BY created_at""",
                row -> new Message(
                        row.getString(1),
                        row.getString(2),
                        Jdbc.instant(row, "date_creation"),
                        Jdbc.instant(row, "deleted_at")),
                commandId,
                commandId);
    }

    /** Records about a command waiting in the outbox for Kafka (its outcome event, its dead letter), by topic. */
    public record OutboxRecord(String topic, Instant createdAt) {}

    public List<OutboxRecord> outboxOf(String commandId) throws SQLException {
        return jdbc.query(
                "SELECT topic, created_at FROM outbox WHERE record_key = convert_to(?, 'UTF8') ORDER BY id",
                row -> new OutboxRecord(row.getString(1), Jdbc.instant(row, "created_at")),
                commandId);
    }

    /** When the command's identity was held for credentials (the hold it caused), or empty. */
    public Optional<Instant> heldAt(String commandId) throws SQLException {
        return jdbc.queryOne(
                "SELECT held_at FROM identity_holds WHERE command_id = ?",
                row -> Jdbc.instant(row, "held_at"),
                commandId);
    }

    /** A campaign as the list shows it. */
    public record CampaignRow(
            String campaignId, String status, int recipients, int ended, Instant createdAt, Instant endedAt) {}

    public List<CampaignRow> campaigns(int limit) throws SQLException {
        return jdbc.query(
                """
                SELECT campaign_id, status, recipients_total, recipients_ended, created_at, coalesce(completed_at, cancelled_at) AS ended_at
                  FROM campaigns ORDER BY created_at DESC LIMIT ?""",
                row -> new CampaignRow(
                        row.getString(1),
                        row.getString(2),
                        row.getInt(3),
                        row.getInt(4),
                        Jdbc.instant(row, "created_at"),
                        Jdbc.instant(row, "ended_at")),
                limit);
    }

    /** The campaign's message parts as its commands gave them, or empty. */
    public Optional<String> campaignParts(String campaignId) throws SQLException {
        return jdbc.queryOne(
                "SELECT parts::text FROM campaigns WHERE campaign_id = ? AND parts IS NOT NULL",
                row -> row.getString(1),
                campaignId);
    }

    /** The total referrals of a message's short URLs at one refresh. */
    public record ReferralPoint(Instant at, long referrals) {}

    /** The referral totals of a message's latest {@code limit} refreshes, the oldest first. */
    public List<ReferralPoint> referralCurve(String sharingMessageToken, int limit) throws SQLException {
        var points = new ArrayList<>(jdbc.query(
                """
                SELECT date_trunc('second', r.sampled_at) AS at, sum(r.num_referrals)
                  FROM referral_samples r JOIN short_urls s ON s.shorturl_token = r.shorturl_token
                 WHERE s.sharing_message_token = ? GROUP BY 1 ORDER BY 1 DESC LIMIT ?""", row -> new ReferralPoint(Jdbc.instant(row, "at"), row.getLong(2)), sharingMessageToken, limit));
        Collections.reverse(points);
        return points;
    }

    /** An identity hold that ended: resumed by an operator, or expired with its commands dead-lettered. */
    public record ReleasedHold(
            String routingKey, String reason, Instant heldAt, Instant resumedAt, String resumedBy, Instant endedAt) {}

    public List<ReleasedHold> releasedHolds(int limit) throws SQLException {
        return jdbc.query(
                """
                SELECT routing_key, reason, held_at, resumed_at, resumed_by, ended_at FROM identity_holds
                 WHERE resumed_at IS NOT NULL OR ended_at IS NOT NULL ORDER BY coalesce(resumed_at, ended_at) DESC LIMIT ?""",
                row -> new ReleasedHold(
                        row.getString(1),
                        row.getString(2),
                        Jdbc.instant(row, "held_at"),
                        Jdbc.instant(row, "resumed_at"),
                        row.getString(5),
                        Jdbc.instant(row, "ended_at")),
                limit);
    }
}
