package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.Jdbc;
import io.herald.store.jdbc.Migrations;
import io.herald.testing.TestInfrastructure;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lease fence on a real PostgreSQL: epochs in Kafka's order of assignments, whatever order the raises reach the
 * database in, and sessions that cannot keep a fence's lock for longer than their limits.
 */
@Timeout(60)
class FenceIT {
    private static final String TOPIC = "commands";
    private static final Duration HORIZON = Duration.ofMinutes(10);
    private final TestInfrastructure infrastructure = TestInfrastructure.get();
    private final String url = infrastructure.newDatabaseUrl();
    private final DataSource dataSource = migrated(infrastructure.dataSource(url));
    private final CountDownLatch delayed = new CountDownLatch(1);

    private static DataSource migrated(DataSource dataSource) {
        Migrations.apply(dataSource);
        return dataSource;
    }

    @Test
    void the_previous_owners_raise_reaching_the_database_after_the_new_owners_fences_the_old_owner_not_the_new()
            throws Exception {
        var previous = new Leases(dataSource, "worker-a");
        long previousEpoch = previous.takeOver(TOPIC, 0, 5, HORIZON).epoch();
        // the previous owner's raise for its assignment of generation 6 is held on its way to the database
        var late = CompletableFuture.supplyAsync(() -> {
            try {
                return new Leases(delayedUntilReleased(), "worker-a").takeOver(TOPIC, 0, 6, HORIZON);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long newEpoch = new Leases(dataSource, "worker-b")
                .takeOver(TOPIC, 0, 7, HORIZON)
                .epoch();

        delayed.countDown();

        assertThatThrownBy(() -> late.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(Leases.Superseded.class)
                .hasMessageContaining("held at generation 7");
        assertThat(epoch()).as("the lease keeps the new owner's epoch").isEqualTo(newEpoch);
        assertThat(holds(newEpoch)).as("the new owner's claims and parks").isTrue();
        assertThat(holds(previousEpoch))
                .as("the previous owner's claims and parks")
                .isFalse();
    }

    @Test
    void a_lease_of_the_counter_before_generations_moves_to_era_1_and_then_refuses_a_late_raise() throws Exception {
        new Leases(dataSource, "worker-b").takeOver(TOPIC, 0, 7, HORIZON);
        jdbcUpdate("UPDATE partition_leases SET epoch = 3");

        long epoch = new Leases(dataSource, "worker-b")
                .takeOver(TOPIC, 0, 7, HORIZON)
                .epoch();

        assertThat(LeaseEpoch.era(epoch)).as("a counter's lease moves to era 1").isEqualTo(1);
        assertThatThrownBy(() -> new Leases(dataSource, "worker-a").takeOver(TOPIC, 0, 6, HORIZON))
                .isInstanceOf(Leases.Superseded.class);
    }

    @Test
    void the_same_assignment_raising_again_after_its_acknowledgement_was_lost_keeps_its_epoch_and_fences_nothing()
            throws Exception {
        var owner = new Leases(dataSource, "worker-a");
        long first = owner.takeOver(TOPIC, 0, 7, HORIZON).epoch();

        long again = owner.takeOver(TOPIC, 0, 7, HORIZON).epoch();

        assertThat(again).isEqualTo(first);
        assertThat(holds(first)).isTrue();
        assertThatThrownBy(() -> new Leases(dataSource, "worker-b").takeOver(TOPIC, 0, 7, HORIZON))
                .as("another member claiming the same generation")
                .isInstanceOf(Leases.Superseded.class);
    }

    @Test
    void
            a_transaction_left_open_loses_its_fence_lock_within_the_idle_in_transaction_timeout_and_a_raise_waits_no_longer()
                    throws Exception {
        var limits = new Database.Limits(Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(2));
        try (var pool =
                Database.pool(url, infrastructure.user(), infrastructure.password(), 3, limits, "fence-it", null)) {
            var abandoned = pool.getConnection();
            new Leases(pool, "worker-a").takeOver(TOPIC, 0, 5, HORIZON);
            // a worker's batch that took the partition's shared fence lock, then never spoke again
            abandoned.setAutoCommit(false);
            Fence.of(abandoned, List.of(new Source(TOPIC, 0, 0, epoch())));
            long openedAt = System.nanoTime();
            var next = new Leases(pool, "worker-b");

            assertThatThrownBy(() -> next.takeOver(TOPIC, 0, 6, HORIZON))
                    .as("the raise waits for the lock no longer than the lock timeout")
                    .isInstanceOf(SQLException.class)
                    .matches(Jdbc::isLockTimeout);
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsMatching(Jdbc::isLockTimeout)
                    .until(() -> next.takeOver(TOPIC, 0, 6, HORIZON).epoch() == epoch());
            double seconds = (System.nanoTime() - openedAt) / 1e9;

            assertThat(seconds).as("seconds until the raise went through").isLessThan(6);
            assertThat(abandoned.isValid(2))
                    .as("PostgreSQL ended the idle transaction's session")
                    .isFalse();
            try (var connection = pool.getConnection();
                    var show = connection.createStatement();
                    var rows = show.executeQuery("SELECT current_setting('lock_timeout'),"
                            + " current_setting('idle_in_transaction_session_timeout'),"
                            + " current_setting('statement_timeout')")) {
                rows.next();
                assertThat(List.of(rows.getString(1), rows.getString(2), rows.getString(3)))
                        .containsExactly("500ms", "2s", "30s");
            }
        }
    }

    private long epoch() throws SQLException {
        return new Jdbc(dataSource)
                .queryOne(
                        "SELECT epoch FROM partition_leases WHERE topic = ? AND partition = 0",
                        r -> r.getLong(1),
                        TOPIC)
                .orElseThrow();
    }

    private boolean holds(long epoch) throws SQLException {
        return new Jdbc(dataSource)
                .inTransaction(connection -> Fence.of(connection, List.of(new Source(TOPIC, 0, 0, epoch)))
                        .holds(new Source(TOPIC, 0, 0, epoch)));
    }

    private void jdbcUpdate(String sql) throws SQLException {
        new Jdbc(dataSource).update(sql);
    }

    /** The test's database, whose connections are handed out only once {@link #delayed} is released. */
    private DataSource delayedUntilReleased() {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        delayed.await();
                    }
                    try {
                        return method.invoke(dataSource, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
