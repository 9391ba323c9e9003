package io.herald.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A call its worker held back and never sent, whose claim another worker meanwhile counted lost and dead-lettered as an
 * unknown outcome (a worker frozen past its claim's age, say). Only that very attempt's unknown outcome is undone: the
 * command is {@code pending} again, its dead letter superseded, the attempt kept in its log. Anything that happened
 * since (a read back, a send again, a replay, an answer) changed the status or the attempts, and then nothing is. A
 * campaign recipient is counted out of its campaign's ended recipients again ({@link CampaignRecount}).
 */
final class Unsent {
    private static final String RETURN = """
            WITH reopened AS (
                UPDATE commands
                   SET status = 'pending', last_error = ?, last_error_class = NULL, claimed_by = NULL, next_attempt_at = NULL,
                       attempt_log = CASE WHEN ?::jsonb IS NULL THEN attempt_log
                                          ELSE COALESCE(attempt_log, '[]'::jsonb) || jsonb_build_array(?::jsonb) END,
                       updated_at = now()
                 WHERE command_id = ? AND status = 'dead_lettered' AND last_error_class = 'unknown-outcome' AND attempts = ?
             RETURNING command_id, campaign_id, type),
            """ + CampaignRecount.UNCOUNT_REOPENED + """
            SELECT command_id FROM reopened
            """;
    private static final String SUPERSEDE = """
            UPDATE dead_letters SET superseded_at = now()
             WHERE command_id = ? AND error_class = 'unknown-outcome' AND superseded_at IS NULL""";

    private Unsent() {}

    /** Whether the command was dead-lettered unknown for {@code attempt} and is now pending again. */
    static boolean returned(Connection connection, LedgerChange change, int attempt) throws SQLException {
        var entry = change.attempt == null ? null : Changes.attemptJson(change.attempt);
        boolean returned = !Jdbc.query(
                        connection,
                        RETURN,
                        row -> row.getString(1),
                        change.lastError,
                        entry,
                        entry,
                        change.command.commandId(),
                        attempt)
                .isEmpty();
        if (returned) {
            Jdbc.update(connection, SUPERSEDE, change.command.commandId());
        }
        return returned;
    }
}
