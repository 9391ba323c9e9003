package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Rows of the parking table: a command waiting in the ledger with its Kafka value, so its offset can be committed.
 * A command's place in its account ({@code position}) is kept when it is parked again: a duplicate record never
 * moves a parked command behind its account's later ones. A scheduled command that comes due while its account
 * waits goes to the end of the account's queue.
 */
final class Parking {

    /** The requests (by their place, from 1) whose command the ledger knows with another body. */
    private static final String REUSED = """
            SELECT u.place FROM unnest(?::text[], ?::bytea[]) WITH ORDINALITY AS u(command_id, digest, place)
              JOIN commands c ON c.command_id = u.command_id
             WHERE c.digest <> u.digest
            """;

    private Parking() {}

    /**
     * Parks commands that were not claimed (behind their account, or until their time); their rows become
     * {@code pending}. Returns those not parked because the ledger knows their id with another body: parked, the record
     * would be taken for its command (a parked row keeps its first value), so it is claimed instead, which finds why.
     * The check follows the rows' insert, which waits for another worker's insert of the same id to commit, so that
     * of two bodies parked and claimed at once, the one recorded second is never parked.
     */
    static Set<ParkRequest> park(Connection connection, List<ParkRequest> requests) throws SQLException {
        Jdbc.batch(connection, LedgerSql.PENDING_ROW, requests, (rows, request) -> {
            var command = request.command();
            rows.setString(1, command.commandId());
            rows.setString(2, command.type());
            rows.setString(3, command.routingKey());
            rows.setString(4, command.campaignId());
            rows.setString(5, command.endpoint());
            rows.setString(6, command.metadataJson());
            rows.setString(7, request.source().topic());
            rows.setInt(8, request.source().partition());
            rows.setLong(9, request.source().offset());
            Jdbc.bind(connection, rows, 10, request.behind() ? null : request.dueAt());
            rows.setBytes(11, command.digest());
        });
        var reused = reused(connection, requests);
        var parked = reused.isEmpty()
                ? requests
                : requests.stream().filter(r -> !reused.contains(r)).toList();
        Jdbc.batch(connection, LedgerSql.PARK, parked, (park, request) -> {
            bind(
                    connection,
                    park,
                    request.command(),
                    request.source(),
                    request.behind() ? null : request.dueAt(),
                    request.scheduled(),
                    request.payload(),
                    request.headers());
        });
        return reused;
    }

    /** By identity: two requests may hold equal values. */
    private static Set<ParkRequest> reused(Connection connection, List<ParkRequest> requests) throws SQLException {
        var reused = Collections.newSetFromMap(new IdentityHashMap<ParkRequest, Boolean>());
        if (requests.stream().allMatch(request -> request.command().digest() == null)) {
            return reused;
        }
        try (var statement = connection.prepareStatement(REUSED)) {
            statement.setArray(
                    1,
                    Jdbc.array(
                            connection,
                            "text",
                            requests.stream().map(r -> r.command().commandId()).toList()));
            statement.setArray(
                    2,
                    connection.createArrayOf(
                            "bytea",
                            requests.stream().map(r -> r.command().digest()).toArray(byte[][]::new)));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    reused.add(requests.get(rows.getInt(1) - 1));
                }
            }
        }
        return reused;
    }

    /** Parks (or parks again, keeping its place) a command whose outcome said it waits, at the head of its account. */
    static void head(Connection connection, List<LedgerChange> changes) throws SQLException {
        Jdbc.batch(connection, LedgerSql.PARK, changes, (park, change) -> {
            bind(
                    connection,
                    park,
                    change.command,
                    change.source,
                    change.park.dueAt(),
                    change.park.scheduled(),
                    change.park.payload(),
                    change.park.headers());
        });
    }

    /** Commands that ended leave the parking table. */
    static void remove(Connection connection, List<String> commandIds) throws SQLException {
        if (!commandIds.isEmpty()) {
            Jdbc.update(connection, LedgerSql.UNPARK, commandIds);
        }
    }

    private static void bind(
            Connection connection,
            java.sql.PreparedStatement park,
            CommandRef command,
            Source source,
            Instant due,
            boolean scheduled,
            byte[] payload,
            RecordHeaders headers)
            throws SQLException {
        park.setString(1, command.commandId());
        park.setString(2, source.topic());
        park.setInt(3, source.partition());
        park.setString(4, command.routingKey());
        Jdbc.bind(connection, park, 5, due);
        park.setBoolean(6, scheduled);
        park.setLong(7, source.offset());
        park.setBytes(8, payload);
        park.setBytes(9, headers.encoded());
    }
}
