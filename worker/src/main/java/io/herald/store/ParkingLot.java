package io.herald.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Accounts whose commands wait for a retry, kept in the {@code commands} table rather than in memory:
 * the waiting command and the later commands of its account are {@code pending} rows with their
 * Kafka value and position, so their offsets can be committed, a crash loses none of them, and they
 * are sent in offset order when the retry is due.
 */
public final class ParkingLot implements AutoCloseable {
    private static final String PARK = """
            INSERT INTO commands AS c (command_id, type, status, attempts, routing_key, campaign_id, source_topic,
                                       source_partition, source_offset, payload, metadata)
            VALUES (?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (command_id) DO UPDATE
               SET payload = EXCLUDED.payload, source_topic = EXCLUDED.source_topic,
                   source_partition = EXCLUDED.source_partition, source_offset = EXCLUDED.source_offset, updated_at = now()
             WHERE c.status = 'pending'
            """;
    private static final String WAITING = """
            SELECT command_id, payload, source_offset FROM commands
             WHERE source_topic = ? AND source_partition = ? AND routing_key = ? AND status = 'pending' AND payload IS NOT NULL
             ORDER BY source_offset, command_id LIMIT 200
            """;

    /** A command to put behind its account's waiting one. */
    public record ParkRequest(ClaimRequest command, byte[] payload) {}

    /** A parked command as it comes back: its id, its Kafka value, its offset. */
    public record Waiting(String commandId, byte[] payload, long offset) {}

    /** Which account of which partition. */
    public record Account(String topic, int partition, String routingKey) {}

    private final DataSource dataSource;
    private final Batcher<ParkRequest, Boolean> parks;
    private final Batcher<Account, List<Waiting>> loads;

    public ParkingLot(DataSource dataSource, Consumer<Long> batchNanos) {
        this.dataSource = dataSource;
        this.parks = new Batcher<>("herald-store-parking", dataSource, 500, ParkingLot::park, batchNanos);
        this.loads = new Batcher<>("herald-store-unparking", dataSource, 100, ParkingLot::load, batchNanos);
    }

    public CompletionStage<Boolean> park(ParkRequest request) {
        return parks.submit(request);
    }

    /** The account's parked commands, oldest first (up to 200 at a time). */
    public CompletionStage<List<Waiting>> waiting(Account account) {
        return loads.submit(account);
    }

    /** The accounts of a partition with parked commands, and when their first retry is due: read when the partition is assigned. */
    public Map<String, Instant> parkedAccounts(String topic, int partition) throws SQLException {
        var accounts = new HashMap<String, Instant>();
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement("""
                SELECT routing_key, min(coalesce(next_attempt_at, now())) FROM commands
                 WHERE source_topic = ? AND source_partition = ? AND status = 'pending' AND payload IS NOT NULL
                 GROUP BY routing_key""")) {
            statement.setString(1, topic);
            statement.setInt(2, partition);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    accounts.put(rows.getString(1), rows.getTimestamp(2).toInstant());
                }
            }
        }
        return accounts;
    }

    private static List<Boolean> park(Connection connection, List<ParkRequest> requests) throws SQLException {
        try (var statement = connection.prepareStatement(PARK)) {
            for (var request : requests) {
                var command = request.command();
                statement.setString(1, command.commandId());
                statement.setString(2, command.type());
                statement.setString(3, command.routingKey());
                statement.setString(4, command.campaignId());
                statement.setString(5, command.topic());
                statement.setInt(6, command.partition());
                statement.setLong(7, command.offset());
                statement.setBytes(8, request.payload());
                statement.setString(9, command.metadataJson());
                statement.addBatch();
            }
            statement.executeBatch();
        }
        return Collections.nCopies(requests.size(), Boolean.TRUE);
    }

    private static List<List<Waiting>> load(Connection connection, List<Account> accounts) throws SQLException {
        var results = new ArrayList<List<Waiting>>(accounts.size());
        try (var statement = connection.prepareStatement(WAITING)) {
            for (var account : accounts) {
                statement.setString(1, account.topic());
                statement.setInt(2, account.partition());
                statement.setString(3, account.routingKey());
                var waiting = new ArrayList<Waiting>();
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        waiting.add(new Waiting(rows.getString(1), rows.getBytes(2), rows.getLong(3)));
                    }
                }
                results.add(waiting);
            }
        }
        return results;
    }


    @Override
    public void close() {
        parks.close();
        loads.close();
    }
}
