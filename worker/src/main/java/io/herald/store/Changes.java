package io.herald.store;

import static io.herald.store.Jdbc.array;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.command.CommandStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies ledger changes while their guards hold: the changes of claims in one statement for the whole batch (the
 * row is updated in place, HOT, since no index covers what an outcome changes), the rare others one by one. Which
 * changes applied is what the statements return; the rest are fenced.
 */
final class Changes {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String UNDER_CLAIM = """
            UPDATE commands AS c
               SET status = u.status, attempts = c.attempts - u.released, last_error = u.last_error,
                   last_error_class = u.last_error_class, result = u.result::jsonb, next_attempt_at = u.next_attempt_at,
                   claimed_by = NULL, progress = COALESCE(u.progress::jsonb, c.progress),
                   attempt_log = CASE WHEN u.attempt IS NULL THEN c.attempt_log
                                      ELSE COALESCE(c.attempt_log, '[]'::jsonb) || u.attempt::jsonb END,
                   updated_at = now()
              FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[],
                          ?::text[])
                   AS u(command_id, token, status, released, last_error, last_error_class, result, next_attempt_at, progress, attempt)
             WHERE c.command_id = u.command_id AND c.status = 'in_flight' AND c.claimed_by = u.token
            RETURNING c.command_id
            """;
    private static final String PENDING_OR_NEW = """
            INSERT INTO commands AS c (command_id, type, status, attempts, routing_key, campaign_id, endpoint, metadata, source_topic,
                                       source_partition, source_offset, last_error, last_error_class, result, next_attempt_at)
            VALUES (?, ?, ?, 0, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (command_id) DO UPDATE
               SET status = EXCLUDED.status, last_error = EXCLUDED.last_error, last_error_class = EXCLUDED.last_error_class,
                   result = COALESCE(EXCLUDED.result, c.result), next_attempt_at = EXCLUDED.next_attempt_at, updated_at = now()
             WHERE c.status = 'pending'
            RETURNING command_id
            """;
    private static final String LOST_CALL = """
            UPDATE commands SET status = ?, last_error = ?, last_error_class = NULL, result = ?::jsonb, updated_at = now()
             WHERE command_id = ? AND status = 'dead_lettered' AND last_error_class = 'unknown-outcome' AND attempts = ?
            RETURNING command_id
            """;

    private Changes() {}

    /** The changes whose guard held and that were applied, by identity. */
    static Set<LedgerChange> apply(Connection connection, List<LedgerChange> changes) throws SQLException {
        var applied = new HashSet<LedgerChange>();
        var underClaim = changes.stream().filter(c -> c.guard instanceof LedgerChange.Guard.Claim).toList();
        if (!underClaim.isEmpty()) {
            applied.addAll(underClaim(connection, underClaim));
        }
        for (var change : changes) {
            if (change.guard instanceof LedgerChange.Guard.Pending && pendingOrNew(connection, change)) {
                applied.add(change);
            } else if (change.guard instanceof LedgerChange.Guard.LostCall lost && lostCall(connection, change, lost.attempt())) {
                applied.add(change);
            } else if (change.guard instanceof LedgerChange.Guard.None) {
                applied.add(change);
            }
        }
        return applied;
    }

    private static List<LedgerChange> underClaim(Connection connection, List<LedgerChange> changes) throws SQLException {
        var byId = new java.util.HashMap<String, LedgerChange>();
        changes.forEach(change -> byId.put(change.command.commandId(), change));
        try (var statement = connection.prepareStatement(UNDER_CLAIM)) {
            statement.setArray(1, array(connection, "text", changes.stream().map(c -> c.command.commandId()).toList()));
            statement.setArray(2, array(connection, "text", changes.stream().map(c -> ((LedgerChange.Guard.Claim) c.guard).token()).toList()));
            statement.setArray(3, array(connection, "text", changes.stream().map(c -> c.status.wireName()).toList()));
            statement.setArray(4, array(connection, "int4", changes.stream().map(c -> c.releaseClaim ? 1 : 0).toList()));
            statement.setArray(5, array(connection, "text", changes.stream().map(c -> c.lastError).toList()));
            statement.setArray(6, array(connection, "text", changes.stream().map(c -> c.lastErrorClass == null ? null : c.lastErrorClass.wireName()).toList()));
            statement.setArray(7, array(connection, "text", changes.stream().map(c -> c.result == null ? null : c.result.toString()).toList()));
            statement.setArray(8, array(connection, "timestamptz", changes.stream()
                    .map(c -> c.nextAttemptAt == null ? null : Timestamp.from(c.nextAttemptAt)).toList()));
            statement.setArray(9, array(connection, "text", changes.stream().map(c -> c.progress == null ? null : c.progress.toString()).toList()));
            statement.setArray(10, array(connection, "text", changes.stream().map(c -> attemptJson(c.attempt)).toList()));
            var applied = new ArrayList<LedgerChange>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    applied.add(byId.get(rows.getString(1)));
                }
            }
            return applied;
        }
    }

    private static boolean pendingOrNew(Connection connection, LedgerChange change) throws SQLException {
        var command = change.command;
        return !Jdbc.query(connection, PENDING_OR_NEW, row -> row.getString(1), command.commandId(), command.type(), change.status.wireName(),
                command.routingKey(),
                command.campaignId(), command.endpoint(), command.metadataJson(), change.source == null ? null : change.source.topic(),
                change.source == null ? null : change.source.partition(), change.source == null ? null : change.source.offset(),
                change.lastError, change.lastErrorClass == null ? null : change.lastErrorClass.wireName(),
                change.result == null ? null : change.result.toString(), change.nextAttemptAt).isEmpty();
    }

    private static boolean lostCall(Connection connection, LedgerChange change, int attempt) throws SQLException {
        var corrected = !Jdbc.query(connection, LOST_CALL, row -> row.getString(1), change.status.wireName(), change.lastError,
                change.result == null ? null : change.result.toString(), change.command.commandId(), attempt).isEmpty();
        if (corrected) {
            Jdbc.update(connection, """
                    UPDATE dead_letters SET superseded_at = now()
                     WHERE command_id = ? AND error_class = 'unknown-outcome' AND superseded_at IS NULL""", change.command.commandId());
        }
        return corrected;
    }

    static String attemptJson(AttemptEntry attempt) {
        if (attempt == null) {
            return null;
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put("attempt", attempt.attempt());
        node.put("worker_id", attempt.workerId());
        node.put("started_at", attempt.startedAt() == null ? null : attempt.startedAt().toString());
        node.put("duration_ms", attempt.durationMs());
        if (attempt.httpStatus() != null) {
            node.put("http_status", attempt.httpStatus());
        }
        putIfPresent(node, "oneall_flag", attempt.flag());
        putIfPresent(node, "oneall_info", attempt.info());
        putIfPresent(node, "error_class", attempt.errorClass());
        putIfPresent(node, "error", attempt.error());
        if (attempt.rawAnswer() != null) {
            var raw = attempt.rawAnswer();
            node.put("raw_answer_base64", Base64.getEncoder().encodeToString(raw.length > 65_536 ? java.util.Arrays.copyOf(raw, 65_536) : raw));
        }
        return MAPPER.createArrayNode().add(node).toString();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** Whether the change's status is one a recipient ends with. */
    static boolean ends(LedgerChange change) {
        return change.status != CommandStatus.PENDING && change.status != CommandStatus.IN_FLIGHT;
    }
}
