package io.herald.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The {@code commands} table as the idempotency ledger: a command is claimed ({@code in_flight},
 * attempts + 1) in a committed transaction before each call to OneAll, and its outcome is recorded
 * after. Claims and records are batched, each kind in one round trip per batch.
 */
public final class Ledger implements AutoCloseable {
    private static final String CLAIM = """
            INSERT INTO commands AS c (command_id, type, status, attempts, routing_key, campaign_id, source_topic,
                                       source_partition, source_offset, metadata, claimed_by)
            SELECT u.command_id, u.type, 'in_flight', 1, u.routing_key, u.campaign_id, u.topic, u.partition,
                   u.record_offset, u.metadata::jsonb, ?
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[])
                 AS u(command_id, type, routing_key, campaign_id, topic, partition, record_offset, metadata)
            WHERE NOT EXISTS (SELECT 1 FROM campaigns k WHERE k.campaign_id = u.campaign_id AND k.status = 'cancelled')
            ON CONFLICT (command_id) DO UPDATE
               SET status = 'in_flight', attempts = c.attempts + 1, claimed_by = EXCLUDED.claimed_by,
                   source_topic = EXCLUDED.source_topic, source_partition = EXCLUDED.source_partition,
                   source_offset = EXCLUDED.source_offset, updated_at = now()
             WHERE c.status = 'pending'
            RETURNING command_id, attempts, progress::text
            """;
    /** Commands of a cancelled campaign are recorded {@code cancelled} instead of being claimed (unless they ended before). */
    private static final String CANCEL = """
            INSERT INTO commands AS c (command_id, type, status, attempts, routing_key, campaign_id, source_topic,
                                       source_partition, source_offset, metadata, last_error)
            SELECT u.command_id, u.type, 'cancelled', 0, u.routing_key, u.campaign_id, u.topic, u.partition,
                   u.record_offset, u.metadata::jsonb, 'the campaign was cancelled'
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[])
                 AS u(command_id, type, routing_key, campaign_id, topic, partition, record_offset, metadata)
            WHERE EXISTS (SELECT 1 FROM campaigns k WHERE k.campaign_id = u.campaign_id AND k.status = 'cancelled')
            ON CONFLICT (command_id) DO UPDATE
               SET status = 'cancelled', payload = NULL, next_attempt_at = NULL, last_error = EXCLUDED.last_error,
                   updated_at = now()
             WHERE c.status = 'pending'
            RETURNING command_id, attempts
            """;

    private final String workerId;
    private final Batcher<ClaimRequest, Claim> claims;
    private final Batcher<OutcomeRecord, Boolean> records;
    private final ScheduledExecutorService healthCheck = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "herald-store-health");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean reachable = true;

    public Ledger(DataSource dataSource, String workerId, Consumer<Long> batchNanos) {
        this.workerId = workerId;
        this.claims = new Batcher<>("herald-store-claims", dataSource, 500, this::claimBatch, batchNanos);
        this.records = new Batcher<>("herald-store-records", dataSource, 500, RecordWriter::write, batchNanos);
        healthCheck.scheduleWithFixedDelay(() -> reachable = reachable(dataSource), 2, 2, TimeUnit.SECONDS);
    }

    /** Readiness follows the database even while no batch is written. */
    private static boolean reachable(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Claims a command for one call; durable when the stage completes. */
    public CompletionStage<Claim> claim(ClaimRequest request) {
        return claims.submit(request);
    }

    /** Records an outcome; durable when the stage completes. */
    public CompletionStage<Boolean> record(OutcomeRecord record) {
        return records.submit(record);
    }

    /** False while the database is out of reach. */
    public boolean healthy() {
        return reachable && claims.healthy() && records.healthy();
    }

    private List<Claim> claimBatch(Connection connection, List<ClaimRequest> requests) throws SQLException {
        if (requests.stream().map(ClaimRequest::commandId).distinct().count() != requests.size()) {
            throw new IllegalStateException("a claim batch holds one command id twice; the worker claims an id once at a time");
        }
        var claimed = new HashMap<String, Claim>();
        try (var statement = connection.prepareStatement(CLAIM)) {
            statement.setString(1, workerId);
            bindRequests(connection, statement, 2, requests);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    claimed.put(rows.getString(1), new Claim.Claimed(rows.getInt(2), rows.getString(3)));
                }
            }
        }
        var ofCampaigns = requests.stream().filter(r -> r.campaignId() != null && !claimed.containsKey(r.commandId())).toList();
        if (!ofCampaigns.isEmpty()) {
            try (var statement = connection.prepareStatement(CANCEL)) {
                bindRequests(connection, statement, 1, ofCampaigns);
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        claimed.put(rows.getString(1), new Claim.Cancelled(rows.getInt(2)));
                    }
                }
            }
        }
        var others = others(connection, requests, claimed);
        var results = new ArrayList<Claim>(requests.size());
        for (var request : requests) {
            var mine = claimed.get(request.commandId());
            results.add(mine != null ? mine : others.get(request.commandId()));
        }
        return results;
    }

    /** The commands that could not be claimed: already final, or in flight from a dead attempt. */
    private Map<String, Claim> others(Connection connection, List<ClaimRequest> requests, Map<String, Claim> claimed)
            throws SQLException {
        var missing = requests.stream().map(ClaimRequest::commandId).filter(id -> !claimed.containsKey(id)).toList();
        var result = new HashMap<String, Claim>();
        if (missing.isEmpty()) {
            return result;
        }
        try (var statement = connection.prepareStatement(
                "SELECT command_id, status, attempts, claimed_by, progress::text, updated_at FROM commands WHERE command_id = ANY(?)")) {
            statement.setArray(1, connection.createArrayOf("text", missing.toArray()));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    var status = rows.getString(2);
                    if (status.equals("in_flight") && workerId.equals(rows.getString(4))) {
                        // Our own claim, committed before the connection broke and retried: the worker processes
                        // one command id at a time, so no other attempt of ours can be in flight.
                        result.put(rows.getString(1), new Claim.Claimed(rows.getInt(3), rows.getString(5)));
                    } else {
                        result.put(rows.getString(1), status.equals("in_flight")
                                ? new Claim.FoundInFlight(rows.getInt(3), rows.getString(4), rows.getTimestamp(6).toInstant())
                                : new Claim.AlreadyFinal(status, rows.getInt(3)));
                    }
                }
            }
        }
        for (var id : missing) {
            if (!result.containsKey(id)) {
                throw new SQLException("command " + id + " was neither claimed nor found", "HE001");
            }
        }
        return result;
    }

    private static void bindRequests(Connection connection, java.sql.PreparedStatement statement, int first,
            List<ClaimRequest> requests) throws SQLException {
        statement.setArray(first, array(connection, "text", requests, ClaimRequest::commandId));
        statement.setArray(first + 1, array(connection, "text", requests, ClaimRequest::type));
        statement.setArray(first + 2, array(connection, "text", requests, ClaimRequest::routingKey));
        statement.setArray(first + 3, array(connection, "text", requests, ClaimRequest::campaignId));
        statement.setArray(first + 4, array(connection, "text", requests, ClaimRequest::topic));
        statement.setArray(first + 5, array(connection, "int4", requests, ClaimRequest::partition));
        statement.setArray(first + 6, array(connection, "int8", requests, ClaimRequest::offset));
        statement.setArray(first + 7, array(connection, "text", requests, ClaimRequest::metadataJson));
    }

    private static <V> Array array(Connection connection, String type, List<ClaimRequest> requests,
            java.util.function.Function<ClaimRequest, V> field) throws SQLException {
        return connection.createArrayOf(type, requests.stream().map(field).toArray());
    }

    @Override
    public void close() {
        healthCheck.shutdownNow();
        claims.close();
        records.close();
    }
}
