package io.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.CommandRef;
import io.herald.store.Leases;
import io.herald.store.LedgerWriter;
import io.herald.store.ParkRequest;
import io.herald.store.Source;
import io.herald.testing.TestInfrastructure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The query KEDA's PostgreSQL trigger scales on (deploy/kubernetes/keda-scaledobject.yaml), run as KEDA runs it on a
 * migrated database: it answers one number, counts the parked commands whose time has come and no other, and reads
 * the index meant for it rather than the whole table.
 */
@Timeout(120)
class KedaQueryIT {
    private static final String TOPIC = "herald.commands";

    private final DataSource dataSource = TestInfrastructure.get().newMigratedDatabase();
    private final LedgerWriter ledger = new LedgerWriter(dataSource, sent -> {}, nanos -> {});
    private long offset;

    @AfterEach
    void close() {
        ledger.close();
    }

    private static String query() throws IOException {
        for (var trigger : DeployFilesTest.yaml("kubernetes/keda-scaledobject.yaml")
                .path("spec")
                .path("triggers")) {
            if (trigger.path("type").asText().equals("postgresql")) {
                return trigger.path("metadata").path("query").asText();
            }
        }
        throw new AssertionError("no postgresql trigger");
    }

    /** What KEDA reads: the one column of the one row the query answers, as a number. */
    private long due() throws IOException, SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery(query())) {
            assertThat(rows.getMetaData().getColumnCount()).isEqualTo(1);
            assertThat(rows.next()).isTrue();
            var value = rows.getObject(1);
            assertThat(rows.next()).as("one row").isFalse();
            assertThat(value).isInstanceOf(Number.class);
            return ((Number) value).longValue();
        }
    }

    /** Parks a command as a worker does: until {@code dueAt}, scheduled or a retry, or behind its account's head. */
    private void park(long epoch, String id, String account, Instant dueAt, boolean scheduled, boolean behind)
            throws Exception {
        ledger.park(new ParkRequest(
                        new CommandRef(id, "push", account, null, "twitter/post", null),
                        new Source(TOPIC, 0, offset++, epoch),
                        id.getBytes(StandardCharsets.UTF_8),
                        dueAt,
                        scheduled,
                        behind))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void counts_the_parked_commands_whose_time_has_come_and_no_other() throws Exception {
        assertThat(due()).as("an empty ledger").isZero();
        long epoch = new Leases(dataSource, "w1")
                .takeOver(TOPIC, 0, 1, Duration.ofMinutes(10))
                .epoch();
        var passed = Instant.now().minusSeconds(5);
        var later = Instant.now().plus(Duration.ofHours(1));

        park(epoch, "retry-1", "account-1", passed, false, false);
        park(epoch, "retry-2", "account-2", passed, false, false);
        park(epoch, "retry-3", "account-3", passed, false, false);
        park(epoch, "scheduled-1", "account-4", passed, true, false);
        park(epoch, "scheduled-2", "account-5", passed, true, false);
        park(epoch, "behind-retry-1", "account-1", null, false, true);
        park(epoch, "retry-later", "account-6", later, false, false);
        park(epoch, "scheduled-later", "account-7", later, true, false);

        assertThat(due()).as("three retries and two schedules due").isEqualTo(5);
    }

    @Test
    void reads_the_due_index_rather_than_the_whole_parking_table() throws Exception {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement()) {
            // 20,000 commands scheduled for tomorrow and 50 retries due, with the statistics autovacuum gathers
            statement.execute("""
                    INSERT INTO commands (command_id, type, status, routing_key)
                    SELECT 'c' || i, 'push', 'pending', 'account-' || i FROM generate_series(1, 20050) i""");
            statement.execute("""
                    INSERT INTO parked (command_id, topic, partition, routing_key, position, due_at, scheduled,
                                        source_offset, payload)
                    SELECT 'c' || i, 'herald.commands', i % 24, 'account-' || i, nextval('parked_position_seq'),
                           CASE WHEN i <= 20000 THEN now() + interval '1 day' ELSE now() - interval '1 minute' END,
                           i <= 20000, i, '\\x00'::bytea
                      FROM generate_series(1, 20050) i""");
            statement.execute("ANALYZE parked");
            var plan = new ArrayList<String>();
            try (var rows = statement.executeQuery("EXPLAIN " + query())) {
                while (rows.next()) {
                    plan.add(rows.getString(1));
                }
            }
            System.out.println("KEDA's query on 20,050 parked commands:\n  " + String.join("\n  ", plan));
            assertThat(plan)
                    .anyMatch(line -> line.contains("parked_due_idx"))
                    .noneMatch(line -> line.contains("Seq Scan"));
        }
        assertThat(due()).isEqualTo(50);
    }
}
