package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guarantees of retries: per-account order holds while a command waits for its retry, and other accounts are not held back. */
@Timeout(120)
class RetryOrderIT {
    private final WorkerHarness herald =
            new WorkerHarness().with("HERALD_RETRY_BACKOFF_MS", "5000").with("HERALD_RETRY_MAX_BACKOFF_MS", "10000");

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void a_later_command_of_the_same_account_does_not_overtake_one_waiting_for_its_retry() {
        var identity = token();
        var other = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failFirst(identity, 2, 503)));
        herald.startWorker();

        herald.send(
                aPush().withId("first").forIdentity(identity).saying("first").json(),
                aPush().withId("second").forIdentity(identity).saying("second").json(),
                aPush().withId("elsewhere")
                        .forIdentity(other)
                        .saying("elsewhere")
                        .json());

        await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(herald.status("elsewhere")));
        await().atMost(Duration.ofSeconds(2)).until(() -> herald.committedOffsets() == 3);
        assertThat(herald.status("second"))
                .as("waits behind the retry of its account, in the ledger")
                .isEqualTo("pending");
        await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(herald.status("second")));

        var calls = herald.sandbox().journal().forToken(identity);
        assertThat(calls).extracting(Journal.Entry::status).containsExactly(503, 503, 200, 200);
        assertThat(calls)
                .extracting(entry -> entry.excerpt().replaceAll(".*\"message\":\"(\\w+)\".*", "$1"))
                .containsExactly("first", "first", "first", "second");
    }

    @Test
    void commands_waiting_for_a_retry_survive_a_worker_restart_and_are_sent_in_order() {
        var identity = token();
        herald.with("HERALD_RETRY_BACKOFF_MS", "4000").with("HERALD_RETRY_MAX_BACKOFF_MS", "8000");
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failFirst(identity, 1, 503)));
        var first = herald.startWorker();
        herald.send(
                aPush().withId("before-restart-1")
                        .forIdentity(identity)
                        .saying("one")
                        .json(),
                aPush().withId("before-restart-2")
                        .forIdentity(identity)
                        .saying("two")
                        .json());
        await().atMost(Duration.ofSeconds(20)).until(() -> herald.committedOffsets() == 2);

        first.shutdown(Duration.ofSeconds(10));
        herald.startWorker();

        await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(herald.status("before-restart-2")));
        var calls = herald.sandbox().journal().forToken(identity);
        assertThat(calls)
                .extracting(
                        entry -> entry.status() + ":" + entry.excerpt().replaceAll(".*\"message\":\"(\\w+)\".*", "$1"))
                .containsExactly("503:one", "200:one", "200:two");
    }
}
