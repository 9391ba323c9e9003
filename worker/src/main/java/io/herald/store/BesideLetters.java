package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Records dead-lettered beside the command whose id they name, which they leave as it is (docs/processing.md, "Reused
 * ids"): a record with another body, and a record that does not read as a command under the id of another record's
 * command. Each is dead-lettered once per place on its topic: delivered again (its worker stopped before its offset
 * was committed), it finds its letter and writes none.
 */
final class BesideLetters {
    /** Whether the command id has a dead letter of this place already; {@code dead_letters_command_idx} finds it. */
    private static final String LETTERED = """
            SELECT EXISTS (SELECT 1 FROM dead_letters
                            WHERE command_id = ? AND original_topic = ? AND original_partition = ? AND original_offset = ?)""";

    /** Whether the command's row names this place: the record is the command's own. */
    private static final String OWN_ROW = """
            SELECT coalesce((source_topic, source_partition, source_offset) = (?, ?, ?), false)
              FROM commands WHERE command_id = ?""";

    private BesideLetters() {}

    /** The beside change as it applies: without its dead letter when an earlier delivery of its record wrote it. */
    static LedgerChange once(Connection connection, LedgerChange beside) throws SQLException {
        var source = beside.source;
        if (source == null) {
            return beside;
        }
        boolean lettered = Jdbc.queryOne(
                        connection,
                        LETTERED,
                        row -> row.getBoolean(1),
                        beside.command.commandId(),
                        source.topic(),
                        source.partition(),
                        source.offset())
                .orElse(false);
        return lettered ? beside.alreadyLettered() : beside;
    }

    /**
     * A record that does not read as a command ({@link LedgerChange.Guard.Invalid}), as it applies: the command's end
     * when the id is new or its pending row is the record's own; nothing when its own row ended already (an earlier
     * delivery recorded it); else its dead letter beside another record's command.
     */
    static Optional<LedgerChange> invalid(Connection connection, LedgerChange change, boolean parked)
            throws SQLException {
        if (Changes.pendingOrNew(connection, change, LedgerSql.INVALID, parked)) {
            return Optional.of(change);
        }
        if (!parked && own(connection, change)) {
            return Optional.empty();
        }
        return Optional.of(once(connection, change.beside));
    }

    private static boolean own(Connection connection, LedgerChange change) throws SQLException {
        var source = change.source;
        return Jdbc.queryOne(
                        connection,
                        OWN_ROW,
                        row -> row.getBoolean(1),
                        source.topic(),
                        source.partition(),
                        source.offset(),
                        change.command.commandId())
                .orElse(false);
    }
}
