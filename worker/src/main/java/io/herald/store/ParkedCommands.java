package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Reads of the parking table for drains: an account's waiting commands in order, or one scheduled command ({@link StoreException} when the database fails). */
public final class ParkedCommands {
    private final Jdbc jdbc;

    public ParkedCommands(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * A parked command as it comes back to be processed.
     *
     * @param position its place in its account
     * @param dueAt    when it may go, or null (in its turn)
     */
    public record Parked(
            String commandId,
            byte[] payload,
            long offset,
            long position,
            boolean scheduled,
            Instant dueAt,
            RecordHeaders headers) {}

    /**
     * The account's parked commands (not the scheduled ones), oldest place first, up to {@code limit} of them and while
     * the payloads before each add up to less than {@code maxBytes} (so the first always comes, however large).
     */
    public List<Parked> account(String topic, int partition, String routingKey, int limit, long maxBytes) {
        try {
            return jdbc.query("""
                SELECT command_id, payload, source_offset, position, scheduled, due_at, record_headers FROM (
                  SELECT command_id, payload, source_offset, position, scheduled, due_at, record_headers,
                         sum(octet_length(payload)) OVER (ORDER BY position) - octet_length(payload) AS before
                    FROM parked
                   WHERE topic = ? AND partition = ? AND routing_key = ? AND NOT scheduled
                   ORDER BY position LIMIT ?) page
                 WHERE before < ? ORDER BY position""", ParkedCommands::parked, topic, partition, routingKey, limit, maxBytes);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** One parked command, if it is still parked. */
    public java.util.Optional<Parked> one(String commandId) {
        try {
            return jdbc.queryOne(
                    "SELECT command_id, payload, source_offset, position, scheduled, due_at, record_headers FROM parked"
                            + " WHERE command_id = ?",
                    ParkedCommands::parked,
                    commandId);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static Parked parked(java.sql.ResultSet row) throws SQLException {
        return new Parked(
                row.getString(1),
                row.getBytes(2),
                row.getLong(3),
                row.getLong(4),
                row.getBoolean(5),
                Jdbc.instant(row, "due_at"),
                RecordHeaders.decode(row.getBytes(7)));
    }
}
