package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.TestInfrastructure;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guarantee: a PostgreSQL outage pauses the work (nothing dead-lettered, nothing lost, nothing sent twice) and it resumes by itself. */
@Timeout(180)
class DatabaseOutageIT {
    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        TestInfrastructure.get().embeddedDatabase().ifPresent(database -> {
            try (var connection = herald.database().getConnection()) {
                connection.isValid(1);
            } catch (Exception down) {
                database.restart();
            }
        });
        herald.close();
    }

    @Test
    void a_database_stopped_and_restarted_mid_run_loses_nothing_and_doubles_nothing() {
        var database = TestInfrastructure.get().embeddedDatabase();
        Assumptions.assumeTrue(database.isPresent(), "needs the embedded PostgreSQL, which a test can stop");
        herald.sandbox().setFaults(Faults.NONE.withLatency(100, 0));
        var worker = herald.startWorker();
        int total = 300;
        var identities =
                java.util.stream.IntStream.range(0, 10).mapToObj(i -> token()).toList();
        for (int i = 0; i < total; i++) {
            herald.send(aPush().withId("db-" + i)
                    .forIdentity(identities.get(i % 10))
                    .saying("m-" + i)
                    .json());
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'") >= 30);

        database.get().stop();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(worker.notReadyReason()).isEqualTo("the database is out of reach"));
        long callsDuringOutage = herald.sandbox().journal().received();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(herald.sandbox().journal().received())
                .as("no call is made while nothing can be claimed")
                .isEqualTo(callsDuringOutage);
        database.get().restart();

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"))
                                .isEqualTo(total));
        assertThat(herald.count("SELECT count(*) FROM dead_letters")).isZero();
        var effects = herald.sandbox().journal().entries(Journal.Entry::effect);
        assertThat(effects).hasSize(total);
        assertThat(effects.stream().map(e -> e.token() + e.excerpt()).collect(Collectors.toSet()))
                .hasSize(total);
        await().atMost(Duration.ofSeconds(30)).until(() -> herald.committedOffsets() == total);
        // the database is probed every 2 s, on a thread of its own
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(worker.notReadyReason()).isNull());
    }
}
