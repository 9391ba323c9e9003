package io.herald.failures;

import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.Commands;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guarantee: a 207 records each publication and retries the providers that failed transiently alone, never the whole message. */
@Timeout(120)
class PartialPublishIT {
    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void a_provider_that_failed_transiently_is_re_published_alone_and_the_command_succeeds() {
        var user = token();
        herald.sandbox()
                .setFaults(Faults.NONE.withRule(
                        FaultRule.failProvider(user, "twitter", 503).onlyFirst(1)));
        herald.startWorker();

        herald.send(Commands.publishForUser("partly", user, "facebook", "twitter"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("partly")));

        var calls = herald.sandbox().journal().forToken(user);
        assertThat(calls).extracting(Journal.Entry::status).containsExactly(207, 200);
        assertThat(calls.get(0).path()).isEqualTo("/sharing/messages.json");
        assertThat(calls.get(1).path()).matches("/sharing/messages/[0-9a-f-]{36}\\.json");
        assertThat(calls.get(1).excerpt())
                .contains("\"providers\":[\"twitter\"]")
                .doesNotContain("facebook");
        assertThat(herald.count(
                        "SELECT count(*) FROM publications WHERE command_id = 'partly' AND provider = 'facebook'"))
                .isEqualTo(1);
        assertThat(herald.count("SELECT count(*) FROM publications WHERE command_id = 'partly' AND provider = 'twitter'"
                        + " AND status_code = 200"))
                .isEqualTo(1);
        assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = 'partly'"))
                .isEqualTo(2);
        assertThat(herald.count("SELECT count(*) FROM sharing_messages")).isEqualTo(1);
    }

    @Test
    void a_provider_that_failed_for_good_leaves_the_command_partial_without_a_retry() {
        var user = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failProvider(user, "linkedin", 403)));
        herald.startWorker();

        herald.send(Commands.publishForUser("half", user, "facebook", "linkedin"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "partial".equals(herald.status("half")));

        assertThat(herald.sandbox().journal().forToken(user)).hasSize(1);
        assertThat(herald.count("SELECT count(*) FROM publications WHERE command_id = 'half' AND status_code = 403"))
                .isEqualTo(1);
    }

    @Test
    void a_provider_failing_transiently_on_every_attempt_ends_partial_and_the_message_is_published_once() {
        var user = token();
        herald.with("HERALD_MAX_ATTEMPTS", "3");
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failProvider(user, "twitter", 503)));
        herald.startWorker();

        herald.send(Commands.publishForUser("stubborn", user, "facebook", "twitter"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "partial".equals(herald.status("stubborn")));

        var calls = herald.sandbox().journal().forToken(user);
        assertThat(calls).hasSize(3);
        assertThat(calls.stream().filter(call -> call.path().equals("/sharing/messages.json")))
                .hasSize(1);
        assertThat(herald.count(
                        "SELECT count(*) FROM publications WHERE command_id = 'stubborn' AND provider = 'facebook'"))
                .isEqualTo(1);
    }
}
