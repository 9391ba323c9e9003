package io.herald.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.store.Leases;
import io.herald.testing.TestInfrastructure;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Taking over assigned partitions on a real database that refuses connections for a while. */
@Timeout(60)
class AssignmentsIT {
    private final DataSource dataSource = TestInfrastructure.get().newMigratedDatabase();
    private final AtomicBoolean refusing = new AtomicBoolean(true);
    private final AtomicInteger refusals = new AtomicInteger();

    @Test
    void a_partition_forgotten_and_assigned_again_while_its_takeover_retries_is_taken_once_at_the_epoch_it_holds()
            throws SQLException {
        var partition = new TopicPartition("commands", 0);
        try (var assignments =
                new Assignments(LeaseStore.of(new Leases(refusingWhileAsked(), "worker-a")), Duration.ofMinutes(1))) {
            assignments.assign(List.of(partition), 1);
            await().until(() -> refusals.get() >= 1);
            // lost and assigned again while the first takeover waits for its retry
            assignments.forget(List.of(partition));
            assignments.assign(List.of(partition), 2);
            await().until(() -> refusals.get() >= 2);
            refusing.set(false);

            // long enough for every retry of either takeover to have run (the first come due after 200 ms)
            await().pollDelay(Duration.ofMillis(1_500)).until(() -> epoch(partition) > 0);
            var taken = assignments.acquired();

            assertThat(taken).as("takeovers handed to the poll loop").hasSize(1);
            assertThat(taken.get(0).takeover().epoch())
                    .as("the epoch the worker works under is the partition's epoch in the ledger")
                    .isEqualTo(epoch(partition));
        }
    }

    private long epoch(TopicPartition partition) throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(
                        "SELECT coalesce(max(epoch), 0) FROM partition_leases WHERE topic = ? AND partition = ?")) {
            statement.setString(1, partition.topic());
            statement.setInt(2, partition.partition());
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The test's database, refusing every new connection (as a server that is down does) while asked to. */
    private DataSource refusingWhileAsked() {
        return (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && refusing.get()) {
                        refusals.incrementAndGet();
                        throw new SQLException("the test's database refuses connections", "08001");
                    }
                    try {
                        return method.invoke(dataSource, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
