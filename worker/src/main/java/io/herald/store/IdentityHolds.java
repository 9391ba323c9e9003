package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Identities held because OneAll refused their credentials: listed, resumed by an operator, ended when they expire. */
public final class IdentityHolds {
    /** An identity held, or held again once its last hold ended, by the ledger writer ({@code Records}). */
    static final String HOLD = """
            INSERT INTO identity_holds AS h (routing_key, command_id, http_status, reason, expires_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (routing_key) DO UPDATE
               SET command_id = EXCLUDED.command_id, http_status = EXCLUDED.http_status, reason = EXCLUDED.reason, held_at = now(),
                   expires_at = EXCLUDED.expires_at, resumed_at = NULL, resumed_by = NULL, ended_at = NULL
             WHERE h.resumed_at IS NOT NULL OR h.ended_at IS NOT NULL
            """;

    private final Jdbc jdbc;

    public IdentityHolds(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** A held identity with the count of its commands waiting in the ledger. */
    public record Hold(
            String routingKey,
            String commandId,
            Integer httpStatus,
            String reason,
            Instant heldAt,
            Instant expiresAt,
            long waiting) {}

    /** The identities held now (not resumed, not ended), oldest first. */
    public List<Hold> held() throws SQLException {
        return jdbc.query(
                """
                SELECT h.routing_key, h.command_id, h.http_status, h.reason, h.held_at, h.expires_at,
                       (SELECT count(*) FROM parked p WHERE p.routing_key = h.routing_key) AS waiting
                  FROM identity_holds h WHERE h.resumed_at IS NULL AND h.ended_at IS NULL ORDER BY h.held_at""",
                row -> new Hold(
                        row.getString(1),
                        row.getString(2),
                        Jdbc.integer(row, "http_status"),
                        row.getString(4),
                        Jdbc.instant(row, "held_at"),
                        Jdbc.instant(row, "expires_at"),
                        row.getLong(7)));
    }

    /**
     * Releases a held identity: its waiting commands are due now (the workers that own them drain them within seconds).
     * Returns false when the identity is not held.
     */
    public boolean resume(String routingKey, String by) throws SQLException {
        return jdbc.inTransactionRetried(connection -> {
            int resumed = Jdbc.update(connection, """
                    UPDATE identity_holds SET resumed_at = now(), resumed_by = ? WHERE routing_key = ? AND resumed_at IS NULL AND ended_at IS NULL""", by, routingKey);
            if (resumed > 0) {
                Jdbc.update(connection, LedgerSql.RESUME_PARKED, routingKey);
                Jdbc.update(connection, LedgerSql.RESUME_COMMANDS, routingKey);
            }
            return resumed > 0;
        });
    }

    /** The identities resumed since {@code since}. */
    public List<String> resumedSince(Instant since) throws SQLException {
        return jdbc.query(
                "SELECT routing_key FROM identity_holds WHERE resumed_at > ?", row -> row.getString(1), since);
    }

    /** Ends the holds that expired and have no command waiting any more; returns how many are held now. */
    public long sweep() throws SQLException {
        jdbc.update("""
                UPDATE identity_holds h SET ended_at = now()
                 WHERE resumed_at IS NULL AND ended_at IS NULL AND expires_at < now()
                   AND NOT EXISTS (SELECT 1 FROM parked p WHERE p.routing_key = h.routing_key)""");
        return jdbc.queryOne(
                        "SELECT count(*) FROM identity_holds WHERE resumed_at IS NULL AND ended_at IS NULL",
                        row -> row.getLong(1))
                .orElse(0L);
    }
}
