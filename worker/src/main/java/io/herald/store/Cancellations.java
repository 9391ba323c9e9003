package io.herald.store;

import io.herald.command.CommandStatus;
import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Cancellation of one command that has not been sent ({@code herald cancel}): one waiting in the ledger (scheduled,
 * for a retry, behind its account or for its identity) ends {@code cancelled} and leaves the parking table; one not
 * consumed yet gets a {@code cancelled} row, so that the worker that claims it finds it ended and sends nothing. Its
 * outcome event goes in the outbox in the same transaction. The command's row is locked first: a claim under way
 * either went through before (the command is in flight, and not cancelled) or finds it cancelled after.
 */
public final class Cancellations {
    private static final String FIND = """
            SELECT c.status, c.last_error_class, p.command_id IS NOT NULL AS parked, p.scheduled, p.due_at
              FROM commands c LEFT JOIN parked p ON p.command_id = c.command_id
             WHERE c.command_id = ? FOR UPDATE OF c""";

    private final Jdbc jdbc;
    private final String outcomesTopic;

    public Cancellations(DataSource dataSource, String outcomesTopic) {
        this.jdbc = new Jdbc(dataSource);
        this.outcomesTopic = outcomesTopic;
    }

    /** What a cancellation came to. */
    public sealed interface Result {
        /** It ended {@code cancelled}; {@code was} says what it waited for. */
        record Cancelled(String was) implements Result {}

        /** It was not cancelled: it is in flight or ended ({@code status}), as {@code why} says. */
        record Refused(String status, String why) implements Result {}
    }

    private record Found(String status, String lastErrorClass, boolean parked, boolean scheduled, Instant dueAt) {}

    /** Cancels the command unless it is in flight or ended; {@code by} is recorded as its last error. */
    public Result cancel(String commandId, String by) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            var result = jdbc.inTransactionRetried(connection -> cancel(connection, commandId, by));
            // a worker consumed the command between the look and the insert: look again
            if (result.isPresent() || attempt == 3) {
                return result.orElseThrow(
                        () -> new SQLException("command " + commandId + " kept changing while it was cancelled"));
            }
        }
    }

    private Optional<Result> cancel(Connection connection, String commandId, String by) throws SQLException {
        var found = Jdbc.queryOne(
                connection,
                FIND,
                row -> new Found(
                        row.getString(1),
                        row.getString(2),
                        row.getBoolean(3),
                        row.getBoolean(4),
                        Jdbc.instant(row, "due_at")),
                commandId);
        if (found.isEmpty()) {
            int inserted = Jdbc.update(
                    connection,
                    LedgerSql.CANCEL_UNCONSUMED,
                    commandId,
                    "cancelled by " + by + " before it was consumed",
                    outcomesTopic);
            return inserted == 0
                    ? Optional.empty()
                    : Optional.of(new Result.Cancelled("not consumed yet (still on the commands topic)"));
        }
        var status = found.get().status();
        if (CommandStatus.IN_FLIGHT.is(status)) {
            return Optional.of(new Result.Refused(
                    status, "it is in flight: a call to OneAll is under way, or was lost with its worker"));
        }
        if (!CommandStatus.PENDING.is(status)) {
            return Optional.of(new Result.Refused(status, "it ended " + status));
        }
        Jdbc.update(connection, LedgerSql.CANCEL_COMMAND, "cancelled by " + by, commandId, outcomesTopic);
        return Optional.of(new Result.Cancelled(waitedFor(found.get())));
    }

    /**
     * Cancels the recipients of a cancelled campaign that wait in the ledger, in the caller's transaction, which locked
     * the campaign's row: they end {@code cancelled} as one command does, with their outcome events in the outbox.
     */
    public static void cancelRecipients(Connection connection, String campaignId, String outcomesTopic)
            throws SQLException {
        Jdbc.update(connection, LedgerSql.CANCEL_CAMPAIGN, "the campaign was cancelled", campaignId, outcomesTopic);
    }

    private static String waitedFor(Found found) {
        if (!found.parked()) {
            return "about to be claimed again by its worker";
        } else if (found.scheduled()) {
            return "scheduled for " + found.dueAt();
        } else if (found.dueAt() == null) {
            return "waiting behind an earlier command of its account";
        }
        return ("credentials".equals(found.lastErrorClass())
                        ? "held with its identity until "
                        : "waiting for its retry at ")
                + found.dueAt();
    }
}
