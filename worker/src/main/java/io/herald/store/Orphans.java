package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Commands the ledger holds {@code pending} that nothing will bring back (docs/processing.md, "Orphans"), found and
 * brought back by one worker at a time: each pass holds a transaction-scoped advisory lock, which a worker that does
 * not get it leaves to the one that has it, and locks the rows it takes with {@code SKIP LOCKED}, so it never waits on
 * the ledger writer.
 *
 * <ul>
 *   <li>A replay's reopened command ({@link #reproduceReplays}): back to {@code pending} with no attempt since (its
 *       {@code attempts} equal to its {@code replay_base}), no parked row, and its last dead letter not marked replayed
 *       after the reopen: the replay died before Kafka acknowledged its record. Its record is produced again through
 *       the outbox and the dead letter marked replayed, in one transaction.
 *   <li>A campaign part fanned out and not ended ({@link #fannedOutParts}): {@code campaign_parts.state} is
 *       {@code fanned_out}, which nothing undoes, and the part's row is still {@code pending} in the parking table. All
 *       that is left of it is its end.
 * </ul>
 *
 * Both only once the row has been left as it is for the bound, so a replay or a part under way finishes first.
 */
public final class Orphans {
    /** Who marks the dead letters whose interrupted replay the reaper finished. */
    public static final String REPLAYED_BY = "herald reaper";

    private static final String LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('herald-orphans')::bigint)";
    /** Driven by the dead letters, far fewer than the commands, of which no index picks the pending ones. */
    private static final String REOPENED = """
            SELECT c.command_id, d.id, d.record_key, d.record_value, d.record_headers
              FROM dead_letters d
              JOIN commands c ON c.command_id = d.command_id
             WHERE c.status = 'pending' AND c.attempts = c.replay_base
               AND c.updated_at < now() - make_interval(secs => ?)
               AND d.error_class <> 'conflict'
               AND d.id = (SELECT max(l.id) FROM dead_letters l WHERE l.command_id = d.command_id AND l.error_class <> 'conflict')
               AND (d.replayed_at IS NULL OR d.replayed_at < c.updated_at)
               AND NOT EXISTS (SELECT 1 FROM parked p WHERE p.command_id = c.command_id)
             ORDER BY c.updated_at
             LIMIT ?
               FOR UPDATE OF c SKIP LOCKED
            """;

    private static final String FANNED_OUT = """
            SELECT p.command_id, p.topic, p.partition, p.source_offset, p.payload
              FROM parked p
              JOIN campaign_parts k ON k.command_id = p.command_id AND k.state = 'fanned_out'
              JOIN commands c ON c.command_id = p.command_id AND c.status = 'pending' AND c.type = 'campaign'
             WHERE c.updated_at < now() - make_interval(secs => ?)
             ORDER BY c.updated_at
             LIMIT ?
            """;

    private final Jdbc jdbc;

    public Orphans(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** A campaign part that fanned out and was left {@code pending}: its parked record, to end it as it would have. */
    public record FannedOutPart(String commandId, String topic, int partition, long offset, byte[] payload) {}

    private record Reopened(String commandId, long letterId, byte[] key, byte[] value, RecordHeaders headers) {}

    /**
     * Produces again, through the outbox, the records of up to {@code limit} replays that reopened their command more
     * than {@code bound} ago and died before their record was on the topic; returns the outbox rows to send now, empty
     * when another worker is reaping.
     */
    public List<OutboxRelayItem> reproduceReplays(Duration bound, int limit, String commandsTopic) {
        return inTransaction(connection -> {
            if (!lockedForThisPass(connection)) {
                return List.of();
            }
            var reopened = Jdbc.query(
                    connection,
                    REOPENED,
                    row -> new Reopened(
                            row.getString(1),
                            row.getLong(2),
                            row.getBytes(3),
                            row.getBytes(4),
                            RecordHeaders.decode(row.getBytes(5))),
                    (double) bound.toSeconds(),
                    limit);
            var messages = new ArrayList<OutboxMessage>();
            for (var command : reopened) {
                messages.add(
                        new OutboxMessage(commandsTopic, command.key(), command.value(), Map.of(), command.headers()));
                Jdbc.update(connection, DeadLetterStore.MARK_REPLAYED, REPLAYED_BY, command.letterId());
            }
            return Records.outboxMessages(connection, messages);
        });
    }

    /** Up to {@code limit} campaign parts fanned out and left {@code pending} for more than {@code bound}. */
    public List<FannedOutPart> fannedOutParts(Duration bound, int limit) {
        return inTransaction(connection -> {
            if (!lockedForThisPass(connection)) {
                return List.of();
            }
            return Jdbc.query(
                    connection,
                    FANNED_OUT,
                    row -> new FannedOutPart(
                            row.getString(1), row.getString(2), row.getInt(3), row.getLong(4), row.getBytes(5)),
                    (double) bound.toSeconds(),
                    limit);
        });
    }

    private <T> T inTransaction(Jdbc.Work<T> work) {
        try {
            return jdbc.inTransaction(work);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static boolean lockedForThisPass(Connection connection) throws SQLException {
        return Jdbc.queryOne(connection, LOCK, row -> row.getBoolean(1)).orElse(false);
    }
}
