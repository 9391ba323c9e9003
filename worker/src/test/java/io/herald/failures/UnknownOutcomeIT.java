package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.WorkerHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: a command whose earlier attempt was in flight when its worker died (found {@code in_flight}
 * in the ledger) is never sent again by default; {@code HERALD_ON_UNKNOWN_OUTCOME=retry} sends it.
 */
@Timeout(120)
class UnknownOutcomeIT {
    private WorkerHarness herald;

    @AfterEach
    void stop() {
        herald.close();
    }

    /** What a worker killed between its claim and the answer leaves behind. */
    private void leaveInFlight(String commandId, String identity) throws Exception {
        try (var connection = herald.database().getConnection();
                var statement = connection.prepareStatement("""
                INSERT INTO commands (command_id, type, status, attempts, routing_key, claimed_by)
                VALUES (?, 'push', 'in_flight', 1, ?, 'a-worker-that-died')""")) {
            statement.setString(1, commandId);
            statement.setString(2, identity);
            statement.executeUpdate();
        }
    }

    @Test
    void a_command_found_in_flight_from_a_dead_worker_is_dead_lettered_as_unknown_outcome_and_not_sent()
            throws Exception {
        herald = new WorkerHarness();
        var identity = token();
        herald.startWorker();
        leaveInFlight("orphan", identity);

        herald.send(aPush().withId("orphan").forIdentity(identity).json());
        await().atMost(Duration.ofSeconds(30)).until(() -> "dead_lettered".equals(herald.status("orphan")));

        assertThat(herald.sandbox().journal().forToken(identity)).isEmpty();
        assertThat(
                        herald.count(
                                "SELECT count(*) FROM dead_letters WHERE command_id = 'orphan' AND error_class = 'unknown-outcome'"))
                .isEqualTo(1);
    }

    @Test
    void with_the_retry_setting_a_command_found_in_flight_is_sent_again() throws Exception {
        herald = new WorkerHarness().with("HERALD_ON_UNKNOWN_OUTCOME", "retry");
        var identity = token();
        herald.startWorker();
        leaveInFlight("orphan-retried", identity);

        herald.send(aPush().withId("orphan-retried").forIdentity(identity).json());
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("orphan-retried")));

        assertThat(herald.sandbox().journal().forToken(identity)).hasSize(1);
        assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = 'orphan-retried'"))
                .isEqualTo(2);
    }
}
