package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.Faults;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guarantee: a OneAll outage slows the worker down instead of exhausting the backlog's attempts; work resumes by itself. */
@Timeout(120)
class OneAllOutageIT {
    private final WorkerHarness herald = new WorkerHarness().with("HERALD_MAX_ATTEMPTS", "4");

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void commands_wait_out_an_outage_without_being_exhausted_and_succeed_when_oneall_is_back() {
        herald.sandbox().setFaults(Faults.NONE.withOutage(true));
        var worker = herald.startWorker();
        int total = 60;
        for (int i = 0; i < total; i++) {
            herald.send(aPush().withId("outage-" + i).forIdentity(token()).json());
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> worker.metrics().render().contains("herald_oneall_breaker_open 1"));
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
        long callsDuringOutage = herald.sandbox().journal().received();

        herald.sandbox().setFaults(Faults.NONE);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"))
                                .isEqualTo(total));

        assertThat(herald.count("SELECT count(*) FROM dead_letters")).isZero();
        assertThat(callsDuringOutage)
                .as("about one failed call per command, then probes, not every attempt")
                .isLessThan(total * 2L);
    }
}
