package io.herald.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The {@code dead_letters} table as {@code herald replay} reads and marks it. */
public final class DeadLetterStore {
    /** A batch of dead letters, written by the ledger writer with their commands' changes ({@code Records}). */
    static final String INSERT = """
            INSERT INTO dead_letters (command_id, type, campaign_id, record_key, record_value, headers, error_class, error, http_status,
                                      attempts, original_topic, original_partition, original_offset, failed_at, attempt_history,
                                      record_headers)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT attempt_log FROM commands WHERE command_id = ?), ?)
            """;

    /** A record dead-lettered as an unknown outcome is superseded: its call's answer was read back, or it was never sent. */
    static final String SUPERSEDE_UNKNOWN = """
            UPDATE dead_letters SET superseded_at = now()
             WHERE command_id = ? AND error_class = 'unknown-outcome' AND superseded_at IS NULL""";

    /** A dead letter replayed: by whom, when, how often. */
    static final String MARK_REPLAYED = """
            UPDATE dead_letters SET replayed_at = now(), replayed_by = ?, replay_count = replay_count + 1 WHERE id = ?""";

    /** A batch of dead letters past their retention ({@link Pruning}). */
    static final String PRUNE = """
            DELETE FROM dead_letters WHERE id IN (
                SELECT id FROM dead_letters WHERE failed_at < ? AND greatest(failed_at, replayed_at, superseded_at) < ?
                 ORDER BY failed_at LIMIT ? FOR UPDATE SKIP LOCKED)""";

    private final DataSource dataSource;

    public DeadLetterStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Which dead letters to consider; null fields do not filter. */
    public record Filter(
            Instant from,
            Instant to,
            List<String> errorClasses,
            String type,
            String campaignId,
            List<String> commandIds,
            boolean includeReplayed) {}

    /**
     * One dead letter, with the ledger status of its command (null when it has no row); {@code superseded}: a late answer
     * showed the call succeeded after all; {@code replayedBy} and {@code replayCount}: the bookkeeping of its replays;
     * {@code headers}: its record's headers as they came, which a replay sends again.
     */
    public record DeadLetter(
            long id,
            String commandId,
            String type,
            String errorClass,
            String error,
            Instant failedAt,
            byte[] key,
            byte[] value,
            String commandStatus,
            Instant replayedAt,
            boolean superseded,
            String replayedBy,
            int replayCount,
            RecordHeaders headers) {
        public DeadLetter {
            headers = headers == null ? RecordHeaders.NONE : headers;
        }
    }

    private static final String SELECT = """
            SELECT d.id, d.command_id, d.type, d.error_class, d.error, d.failed_at, d.record_key, d.record_value,
                   c.status, d.replayed_at, d.superseded_at IS NOT NULL, d.replayed_by, d.replay_count, d.record_headers
              FROM dead_letters d LEFT JOIN commands c ON c.command_id = d.command_id
            """;

    /** The dead letters of these ids (those not replayed yet, unless {@code includeReplayed}), in id order. */
    public List<DeadLetter> findByIds(List<Long> ids, boolean includeReplayed) throws SQLException {
        return select(
                SELECT + " WHERE d.id = ANY(?)" + (includeReplayed ? "" : " AND d.replayed_at IS NULL")
                        + " ORDER BY d.id",
                (Object) ids.toArray(Long[]::new));
    }

    public List<DeadLetter> find(Filter filter, int limit) throws SQLException {
        var sql = new StringBuilder(SELECT + " WHERE true");
        var args = new ArrayList<Object>();
        if (filter.from() != null) {
            sql.append(" AND d.failed_at >= ?");
            args.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND d.failed_at < ?");
            args.add(Timestamp.from(filter.to()));
        }
        if (filter.errorClasses() != null && !filter.errorClasses().isEmpty()) {
            sql.append(" AND d.error_class = ANY(?)");
            args.add(filter.errorClasses());
        }
        if (filter.type() != null) {
            sql.append(" AND d.type = ?");
            args.add(filter.type());
        }
        if (filter.campaignId() != null) {
            sql.append(" AND d.campaign_id = ?");
            args.add(filter.campaignId());
        }
        if (filter.commandIds() != null) {
            sql.append(" AND d.command_id = ANY(?)");
            args.add(filter.commandIds());
        }
        if (!filter.includeReplayed()) {
            sql.append(" AND d.replayed_at IS NULL");
        }
        sql.append(" ORDER BY d.id LIMIT ?");
        args.add(limit);
        return select(sql.toString(), args.toArray());
    }

    /** {@code args}: a list of strings binds as {@code text[]}, an array of longs as {@code int8[]}. */
    private List<DeadLetter> select(String sql, Object... args) throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                var arg = args[i];
                if (arg instanceof List<?> list) {
                    statement.setArray(i + 1, connection.createArrayOf("text", list.toArray()));
                } else if (arg instanceof Long[] numbers) {
                    statement.setArray(i + 1, connection.createArrayOf("int8", numbers));
                } else {
                    statement.setObject(i + 1, arg);
                }
            }
            var letters = new ArrayList<DeadLetter>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    letters.add(letter(rows, 0));
                }
            }
            return letters;
        }
    }

    /** The dead letter of the current row, whose columns are {@link #SELECT}'s after the first {@code skip}. */
    private static DeadLetter letter(java.sql.ResultSet rows, int skip) throws SQLException {
        var replayed = rows.getTimestamp(skip + 10);
        return new DeadLetter(
                rows.getLong(skip + 1),
                rows.getString(skip + 2),
                rows.getString(skip + 3),
                rows.getString(skip + 4),
                rows.getString(skip + 5),
                rows.getTimestamp(skip + 6).toInstant(),
                rows.getBytes(skip + 7),
                rows.getBytes(skip + 8),
                rows.getString(skip + 9),
                replayed == null ? null : replayed.toInstant(),
                rows.getBoolean(skip + 11),
                rows.getString(skip + 12),
                rows.getInt(skip + 13),
                RecordHeaders.decode(rows.getBytes(skip + 14)));
    }

    /**
     * Readies a dead-lettered command to be consumed again: back to {@code pending}, with a fresh budget of attempts
     * ({@code attempts} goes on counting every call, so its attempt log stays whole). A command that is not
     * dead-lettered is left as it is (the ledger then decides). A campaign recipient is counted out of its campaign's
     * ended recipients again ({@link CampaignTables}).
     */
    public void reopen(String commandId) throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(LedgerSql.REOPEN)) {
            statement.setString(1, commandId);
            statement.executeQuery().close();
        }
    }

    /** Records that a dead letter was replayed, by whom and when. */
    public void markReplayed(long id, String by) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.prepareStatement(MARK_REPLAYED)) {
            statement.setString(1, by);
            statement.setLong(2, id);
            statement.executeUpdate();
        }
    }

    /**
     * The rows of dead letters read back from the dead-letter topic, replayed ones too, by the place their command was
     * consumed from ({@code topic/partition/offset}): those of these commands, and those of records that were no command
     * dead-lettered between {@code from} and {@code to}. A letter whose row was pruned is missing.
     */
    public Map<String, DeadLetter> byOrigin(Collection<String> commandIds, Instant from, Instant to)
            throws SQLException {
        var found = new HashMap<String, DeadLetter>();
        var sql = SELECT.replace(
                        "SELECT d.id,", "SELECT d.original_topic, d.original_partition, d.original_offset, d.id,")
                + " WHERE d.command_id = ANY(?) OR (d.command_id IS NULL AND d.failed_at BETWEEN ? AND ?)";
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", commandIds.toArray()));
            statement.setTimestamp(2, Timestamp.from(from));
            statement.setTimestamp(3, Timestamp.from(to));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.put(origin(rows.getString(1), rows.getInt(2), rows.getLong(3)), letter(rows, 3));
                }
            }
        }
        return found;
    }

    /** The key of a command's place on its topic ({@code topic/partition/offset}) that {@link #byOrigin} maps by. */
    public static String origin(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** What the ledger says of a command now: its status and the class of its last error (null when none). */
    public record CommandState(String status, String lastErrorClass) {}

    /** The states of those of these commands that the ledger still has. */
    public Map<String, CommandState> states(Collection<String> commandIds) throws SQLException {
        var states = new HashMap<String, CommandState>();
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(
                        "SELECT command_id, status, last_error_class FROM commands WHERE command_id = ANY(?)")) {
            statement.setArray(1, connection.createArrayOf("text", commandIds.toArray()));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getString(1), new CommandState(rows.getString(2), rows.getString(3)));
                }
            }
        }
        return states;
    }
}
