package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A call its worker held back and never sent, whose claim another worker meanwhile counted lost and dead-lettered as an
 * unknown outcome (a worker frozen past its claim's age, say). Only that very attempt's unknown outcome is undone: the
 * command is {@code pending} again, its dead letter superseded, the attempt kept in its log. Anything that happened
 * since (a read back, a send again, a replay, an answer) changed the status or the attempts, and then nothing is. A
 * campaign recipient is counted out of its campaign's ended recipients again ({@link CampaignTables}).
 */
final class Unsent {

    private Unsent() {}

    /** Whether the command was dead-lettered unknown for {@code attempt} and is now pending again. */
    static boolean returned(Connection connection, LedgerChange change, int attempt) throws SQLException {
        var entry = change.attempt == null ? null : Changes.attemptJson(change.attempt);
        boolean returned = !Jdbc.query(
                        connection,
                        LedgerSql.UNSENT,
                        row -> row.getString(1),
                        change.lastError,
                        entry,
                        entry,
                        change.command.commandId(),
                        attempt)
                .isEmpty();
        if (returned) {
            Jdbc.update(connection, DeadLetterStore.SUPERSEDE_UNKNOWN, change.command.commandId());
        }
        return returned;
    }
}
