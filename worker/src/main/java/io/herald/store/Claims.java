package io.herald.store;

import static io.herald.store.jdbc.Jdbc.array;

import io.herald.command.BodyDigest;
import io.herald.command.CommandStatus;
import io.herald.command.Event;
import io.herald.command.Progress;
import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Claims in one statement per batch: a command becomes {@code in_flight} (attempts + 1) under a claim token unless it
 * ended, is claimed already, waits for its retry or schedule, belongs to a cancelled campaign, has an earlier command
 * of its account waiting in the ledger, or its identity is held; nor when its row has another body's digest (its id
 * reused). What a claim found instead is read in one more statement, for the claims that did not succeed.
 */
final class Claims {
    /** What the claims that did not go through found. */
    private static final String FOUND = """
            SELECT u.command_id, c.status, c.attempts, c.claimed_by, c.progress::text, c.next_attempt_at, c.replay_base, c.digest,
                   extract(epoch FROM now() - c.updated_at) AS age_seconds,
                   EXISTS (SELECT 1 FROM campaigns k WHERE k.campaign_id = u.campaign_id AND k.status = 'cancelled') AS cancelled,
                   EXISTS (SELECT 1 FROM parked p
                            WHERE p.topic = u.topic AND p.partition = u.partition AND p.routing_key = u.routing_key
                              AND NOT p.scheduled AND p.command_id <> u.command_id
                              AND p.position < coalesce(u.position, 9223372036854775807)) AS waiting,
                   h.expires_at AS hold_expires_at, h.expires_at <= now() AS hold_expired, h.reason AS hold_reason,
                   h.http_status AS hold_status
              FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::bigint[])
                   AS u(command_id, campaign_id, topic, partition, routing_key, position)
              LEFT JOIN commands c ON c.command_id = u.command_id
              LEFT JOIN identity_holds h ON h.routing_key = u.routing_key AND h.resumed_at IS NULL AND h.ended_at IS NULL
            """;

    private Claims() {}

    static Map<ClaimRequest, Event> run(Connection connection, List<ClaimRequest> requests) throws SQLException {
        var results = new java.util.IdentityHashMap<ClaimRequest, Event>();
        if (requests.isEmpty()) {
            return results;
        }
        var byId = new HashMap<String, ClaimRequest>();
        for (var request : requests) {
            if (byId.put(request.command().commandId(), request) != null) {
                throw new IllegalStateException("a claim batch holds command "
                        + request.command().commandId() + " twice; a worker claims one command once at a time");
            }
        }
        try (var statement = connection.prepareStatement(LedgerSql.CLAIM)) {
            bind(statement, 1, connection, "text", requests, r -> r.command().commandId());
            bind(statement, 2, connection, "text", requests, r -> r.command().type());
            bind(statement, 3, connection, "text", requests, r -> r.command().routingKey());
            bind(statement, 4, connection, "text", requests, r -> r.command().campaignId());
            bind(statement, 5, connection, "text", requests, r -> r.command().endpoint());
            bind(statement, 6, connection, "text", requests, r -> r.command().metadataJson());
            bind(statement, 7, connection, "text", requests, r -> r.source().topic());
            bind(statement, 8, connection, "int4", requests, r -> r.source().partition());
            bind(statement, 9, connection, "int8", requests, r -> r.source().offset());
            bind(statement, 10, connection, "text", requests, ClaimRequest::token);
            bind(
                    statement,
                    11,
                    connection,
                    "timestamptz",
                    requests,
                    r -> r.notBefore() == null ? null : java.sql.Timestamp.from(r.notBefore()));
            bind(statement, 12, connection, "int8", requests, ClaimRequest::position);
            statement.setArray(
                    13,
                    connection.createArrayOf(
                            "bytea",
                            requests.stream().map(r -> r.command().digest()).toArray(byte[][]::new)));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    var request = byId.get(rows.getString("command_id"));
                    results.put(
                            request,
                            CommandStatus.IN_FLIGHT.is(rows.getString("status"))
                                    ? new Event.Claimed(
                                            rows.getInt("attempts"),
                                            Progress.read(rows.getString("progress")),
                                            rows.getInt("replay_base"))
                                    : new Event.NotYetDue(Jdbc.instant(rows, "next_attempt_at"), true));
                }
            }
        }
        var others = requests.stream().filter(r -> !results.containsKey(r)).toList();
        if (!others.isEmpty()) {
            found(connection, others, results);
        }
        return results;
    }

    private static void found(Connection connection, List<ClaimRequest> requests, Map<ClaimRequest, Event> results)
            throws SQLException {
        var byId = new HashMap<String, ClaimRequest>();
        requests.forEach(request -> byId.put(request.command().commandId(), request));
        try (var statement = connection.prepareStatement(FOUND)) {
            bind(statement, 1, connection, "text", requests, r -> r.command().commandId());
            bind(statement, 2, connection, "text", requests, r -> r.command().campaignId());
            bind(statement, 3, connection, "text", requests, r -> r.source().topic());
            bind(statement, 4, connection, "int4", requests, r -> r.source().partition());
            bind(statement, 5, connection, "text", requests, r -> r.command().routingKey());
            bind(statement, 6, connection, "int8", requests, ClaimRequest::position);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    var request = byId.get(rows.getString("command_id"));
                    results.put(request, found(request, rows));
                }
            }
        }
    }

    /** Binds one column of the batch, one element per request in the batch's order, as an array of {@code type}. */
    private static void bind(
            PreparedStatement statement,
            int index,
            Connection connection,
            String type,
            List<ClaimRequest> requests,
            Function<ClaimRequest, ?> column)
            throws SQLException {
        statement.setArray(
                index, array(connection, type, requests.stream().map(column).toList()));
    }

    /** What the row shows the claim that did not go through; {@link Event.Found#meaning} ranks it. */
    private static Event found(ClaimRequest request, java.sql.ResultSet row) throws SQLException {
        var known = row.getBytes("digest");
        var received = request.command().digest();
        var statusText = row.getString("status");
        return new Event.Found(
                known != null && received != null && !java.util.Arrays.equals(known, received),
                known == null ? null : BodyDigest.shown(known),
                received == null ? null : BodyDigest.shown(received),
                statusText == null ? null : CommandStatus.fromWireName(statusText),
                row.getInt("attempts"),
                request.token().equals(row.getString("claimed_by")),
                row.getString("claimed_by"),
                Progress.read(row.getString("progress")),
                row.getInt("replay_base"),
                Duration.ofMillis((long) (row.getDouble("age_seconds") * 1000)),
                row.getBoolean("cancelled"),
                request.notBefore(),
                row.getBoolean("waiting"),
                Jdbc.instant(row, "hold_expires_at"),
                row.getBoolean("hold_expired"),
                row.getString("hold_reason"),
                Jdbc.integer(row, "hold_status"),
                Jdbc.instant(row, "next_attempt_at"));
    }
}
