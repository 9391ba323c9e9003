package io.herald.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.CommandStatus;
import io.herald.store.jdbc.Jdbc;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies ledger changes while their guards hold: the changes of claims in one statement for the whole batch, the
 * rare others one by one. Which changes applied is what the statements return; the rest are fenced. No index covers
 * what an outcome changes, so its update stays on the row's page (HOT) when the page has room; at the table's
 * fillfactor of 80 about one in four do (docs/performance.md: a fillfactor of 50 made it 57 % and cost PostgreSQL no
 * less CPU).
 */
final class Changes {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Changes() {}

    /**
     * The changes whose guard held, each mapped (by identity) to the change as it was applied: itself, or, for a record
     * that names another record's command, the change beside it ({@link BesideLetters}).
     */
    static Map<LedgerChange, LedgerChange> apply(Connection connection, List<LedgerChange> changes)
            throws SQLException {
        var applied = new IdentityHashMap<LedgerChange, LedgerChange>();
        var underClaim = changes.stream()
                .filter(c -> c.guard instanceof LedgerChange.Guard.Claim)
                .toList();
        if (!underClaim.isEmpty()) {
            underClaim(connection, underClaim).forEach(change -> applied.put(change, change));
        }
        for (var change : changes) {
            if (change.guard instanceof LedgerChange.Guard.Pending
                    && pendingOrNew(connection, change, LedgerSql.PENDING_OR_NEW)) {
                applied.put(change, change);
            } else if (change.guard instanceof LedgerChange.Guard.LostCall lost
                    && lostCall(connection, change, lost.attempt())) {
                applied.put(change, change);
            } else if (change.guard instanceof LedgerChange.Guard.Unsent unsent
                    && Unsent.returned(connection, change, unsent.attempt())) {
                applied.put(change, change);
            } else if (change.guard instanceof LedgerChange.Guard.None) {
                applied.put(change, change);
            } else if (change.guard instanceof LedgerChange.Guard.Beside) {
                applied.put(change, BesideLetters.once(connection, change));
            } else if (change.guard instanceof LedgerChange.Guard.Invalid invalid) {
                BesideLetters.invalid(connection, change, invalid.parked())
                        .ifPresent(written -> applied.put(change, written));
            }
        }
        return applied;
    }

    private static List<LedgerChange> underClaim(Connection connection, List<LedgerChange> changes)
            throws SQLException {
        var byId = new HashMap<String, LedgerChange>();
        changes.forEach(change -> byId.put(change.command.commandId(), change));
        try (var statement = connection.prepareStatement(LedgerSql.UNDER_CLAIM)) {
            statement.setString(1, batchJson(changes));
            var applied = new ArrayList<LedgerChange>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    applied.add(byId.get(rows.getString(1)));
                }
            }
            return applied;
        }
    }

    /** The changes under claim as {@code jsonb_to_recordset} reads them. */
    static String batchJson(List<LedgerChange> changes) {
        var out = new StringWriter(changes.size() * 512);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartArray();
            for (var change : changes) {
                json.writeStartObject();
                json.writeStringField("command_id", change.command.commandId());
                json.writeStringField("token", ((LedgerChange.Guard.Claim) change.guard).token());
                json.writeStringField("status", change.status.wireName());
                json.writeNumberField("released", change.releaseClaim ? 1 : 0);
                writeIfPresent(json, "last_error", change.lastError);
                writeIfPresent(
                        json,
                        "last_error_class",
                        change.lastErrorClass == null ? null : change.lastErrorClass.wireName());
                writeIfPresent(json, "result", change.result);
                writeIfPresent(
                        json, "next_attempt_at", change.nextAttemptAt == null ? null : change.nextAttemptAt.toString());
                writeIfPresent(json, "progress", change.progress);
                if (change.attempt != null) {
                    json.writeFieldName("attempt");
                    writeAttempt(json, change.attempt);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a batch of ledger changes", e);
        }
        return out.toString();
    }

    /** {@link LedgerSql#PENDING_OR_NEW}, or a statement that adds parameters after its own ({@code more}). */
    static boolean pendingOrNew(Connection connection, LedgerChange change, String sql, Object... more)
            throws SQLException {
        var command = change.command;
        var args = new ArrayList<Object>(Arrays.asList(
                command.commandId(),
                command.type(),
                change.status.wireName(),
                command.routingKey(),
                command.campaignId(),
                command.endpoint(),
                command.metadataJson(),
                change.source == null ? null : change.source.topic(),
                change.source == null ? null : change.source.partition(),
                change.source == null ? null : change.source.offset(),
                change.lastError,
                change.lastErrorClass == null ? null : change.lastErrorClass.wireName(),
                change.result == null ? null : change.result.toString(),
                change.nextAttemptAt,
                command.digest()));
        args.addAll(Arrays.asList(more));
        return !Jdbc.query(connection, sql, row -> row.getString(1), args.toArray())
                .isEmpty();
    }

    private static boolean lostCall(Connection connection, LedgerChange change, int attempt) throws SQLException {
        var corrected = !Jdbc.query(
                        connection,
                        LedgerSql.LOST_CALL,
                        row -> row.getString(1),
                        change.status.wireName(),
                        change.lastError,
                        change.result == null ? null : change.result.toString(),
                        change.command.commandId(),
                        attempt)
                .isEmpty();
        if (corrected) {
            Jdbc.update(connection, DeadLetterStore.SUPERSEDE_UNKNOWN, change.command.commandId());
        }
        return corrected;
    }

    /** One attempt of a command's log as the JSON the ledger keeps it in. */
    static String attemptJson(AttemptEntry attempt) {
        var out = new StringWriter(512);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            writeAttempt(json, attempt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an attempt", e);
        }
        return out.toString();
    }

    private static void writeAttempt(JsonGenerator json, AttemptEntry attempt) throws IOException {
        json.writeStartObject();
        json.writeNumberField("attempt", attempt.attempt());
        json.writeStringField("worker_id", attempt.workerId());
        json.writeStringField(
                "started_at",
                attempt.startedAt() == null ? null : attempt.startedAt().toString());
        json.writeNumberField("duration_ms", attempt.durationMs());
        if (attempt.httpStatus() != null) {
            json.writeNumberField("http_status", attempt.httpStatus());
        }
        writeIfPresent(json, "oneall_flag", attempt.flag());
        writeIfPresent(json, "oneall_info", attempt.info());
        writeIfPresent(json, "error_class", attempt.errorClass());
        writeIfPresent(json, "error", attempt.error());
        if (attempt.rawAnswer() != null) {
            var raw = attempt.rawAnswer();
            json.writeStringField(
                    "raw_answer_base64",
                    Base64.getEncoder().encodeToString(raw.length > 65_536 ? Arrays.copyOf(raw, 65_536) : raw));
        }
        json.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    private static void writeIfPresent(JsonGenerator json, String field, JsonNode value) throws IOException {
        if (value != null) {
            json.writeFieldName(field);
            MAPPER.writeTree(json, value);
        }
    }

    /** Whether the change's status is one a recipient ends with. */
    static boolean ends(LedgerChange change) {
        return change.status != CommandStatus.PENDING && change.status != CommandStatus.IN_FLIGHT;
    }
}
