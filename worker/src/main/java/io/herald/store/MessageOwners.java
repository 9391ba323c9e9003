package io.herald.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.OtherCommands;
import io.herald.store.jdbc.Jdbc;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;

/**
 * Reads of the ledger for a lost publish's read-back (docs/processing.md, "Unknown outcomes and reading back"): which
 * of the messages read back the ledger records as another command's effect, and which other publishes to the same
 * target may have made a message in the window without the ledger knowing which ({@link StoreException} when the
 * database fails). A message is another command's when the command that made it ({@code sharing_messages.command_id})
 * or one that published it ({@code publications.command_id}) is another; both are written in the transaction that
 * records the command's outcome.
 */
public final class MessageOwners {
    /** The most unsettled publishes named: one is enough to leave a match undecided. */
    private static final int MOST_UNSETTLED = 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String OWNERS = """
            SELECT sharing_message_token, command_id FROM sharing_messages
             WHERE sharing_message_token = ANY(?) AND command_id IS NOT NULL AND command_id <> ?
            UNION
            SELECT sharing_message_token, command_id FROM publications
             WHERE sharing_message_token = ANY(?) AND command_id IS NOT NULL AND command_id <> ?""";

    /**
     * A publish whose message the ledger does not know: in flight (its answer may be in hand, not yet recorded), or
     * changed since the window opened and either with a call of unknown outcome (dead-lettered, or waiting to go
     * again) or ended without its answer recorded. Its body comes from its parked record or its latest dead letter
     * (not a conflict's, which is another body under its id).
     */
    private static final String UNSETTLED = """
            SELECT c.command_id, coalesce(p.payload, d.record_value) AS body
              FROM commands c
              LEFT JOIN parked p ON p.command_id = c.command_id
              LEFT JOIN LATERAL (SELECT record_value FROM dead_letters l
                                  WHERE l.command_id = c.command_id AND l.error_class <> 'conflict'
                                  ORDER BY l.id DESC LIMIT 1) d ON true
             WHERE c.routing_key = ? AND c.type = 'publish' AND c.command_id <> ?
               AND (c.status = 'in_flight'
                    OR c.updated_at >= ?
                       AND (c.status IN ('pending', 'dead_lettered')
                              AND c.attempt_log @> '[{"error_class": "unknown-outcome"}]'::jsonb
                            OR c.status IN ('succeeded', 'partial') AND c.result IS NULL))
             ORDER BY c.command_id LIMIT ?""";

    private final Jdbc jdbc;

    public MessageOwners(javax.sql.DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * What the ledger records of commands other than {@code commandId} around its lost publish to {@code target} (the
     * target's user or identity token, its routing key), whose window opened at {@code from}.
     *
     * @param tokens the messages read back
     */
    public OtherCommands around(String commandId, String target, List<String> tokens, Instant from) {
        try {
            var owners = new HashMap<String, String>();
            if (!tokens.isEmpty()) {
                jdbc.query(
                                OWNERS,
                                row -> List.of(row.getString(1), row.getString(2)),
                                tokens,
                                commandId,
                                tokens,
                                commandId)
                        .forEach(row -> owners.putIfAbsent(row.get(0), row.get(1)));
            }
            var unsettled = jdbc.query(
                    UNSETTLED,
                    row -> new OtherCommands.Unsettled(row.getString(1), parts(row.getBytes(2))),
                    target,
                    commandId,
                    from,
                    MOST_UNSETTLED);
            return new OtherCommands(owners, unsettled);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** The message parts of a command's body, or null when there is none to read (it may have made any message). */
    private static JsonNode parts(byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            var command = MAPPER.readTree(body);
            var parts = command == null ? null : command.path("sharing_message").path("parts");
            return parts != null && parts.isObject() ? parts : null;
        } catch (IOException e) {
            return null;
        }
    }
}
