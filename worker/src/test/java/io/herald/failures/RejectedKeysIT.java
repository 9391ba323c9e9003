package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guarantee: site keys that OneAll rejects pause the worker (not ready) instead of dead-lettering the backlog. */
@Timeout(120)
class RejectedKeysIT {
    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void rejected_site_keys_pause_consumption_and_work_resumes_once_they_are_accepted() {
        var configuredPublic = herald.sandbox().publicKey();
        var configuredPrivate = herald.sandbox().privateKey();
        herald.sandbox().setKeys(configuredPublic, UUID.randomUUID().toString());
        var worker = herald.startWorker();
        for (int i = 0; i < 20; i++) {
            herald.send(aPush().withId("keys-" + i).forIdentity(token()).json());
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(worker.notReadyReason()).contains("rejects the site's keys"));
        long pings = herald.sandbox()
                .journal()
                .entries(e -> e.path().equals("/tools/ping.json"))
                .size();
        assertThat(pings).isPositive();
        assertThat(herald.count("SELECT count(*) FROM dead_letters")).isZero();

        herald.sandbox().setKeys(configuredPublic, configuredPrivate);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"))
                                .isEqualTo(20));
        assertThat(herald.count("SELECT count(*) FROM dead_letters")).isZero();
        assertThat(worker.notReadyReason()).isNull();
    }

    @Test
    void a_401_for_one_command_while_the_keys_are_accepted_is_permanent_when_identity_holds_are_off() {
        var identity = token();
        herald.sandbox()
                .setFaults(
                        io.herald.sandbox.Faults.NONE.withRule(io.herald.sandbox.FaultRule.failAlways(identity, 401)));
        herald.with("HERALD_IDENTITY_HOLD_S", "0").startWorker();

        herald.send(aPush().withId("revoked-token").forIdentity(identity).json());

        await().atMost(Duration.ofSeconds(30)).until(() -> "dead_lettered".equals(herald.status("revoked-token")));
        assertThat(herald.count(
                        "SELECT count(*) FROM dead_letters WHERE error_class = 'permanent' AND http_status = 401"))
                .isEqualTo(1);
    }
}
