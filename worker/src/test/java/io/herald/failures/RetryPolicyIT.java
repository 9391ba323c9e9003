package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guarantees of the retry policy on the real broker, database and sandbox: Retry-After is honoured, attempts are bounded. */
@Timeout(120)
class RetryPolicyIT {
    private final WorkerHarness herald = new WorkerHarness().with("HERALD_MAX_ATTEMPTS", "3");

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void a_429_with_retry_after_is_retried_no_sooner_than_oneall_asked() {
        var identity = token();
        herald.sandbox()
                .setFaults(Faults.NONE.withRule(
                        FaultRule.failFirst(identity, 1, 429).withRetryAfter(2)));
        herald.startWorker();

        herald.send(aPush().withId("throttled").forIdentity(identity).json());
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("throttled")));

        var calls = herald.sandbox().journal().forToken(identity);
        assertThat(calls).extracting(Journal.Entry::status).containsExactly(429, 200);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void a_command_failing_transiently_on_every_attempt_is_dead_lettered_as_exhausted() {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failAlways(identity, 502)));
        herald.startWorker();

        herald.send(aPush().withId("hopeless").forIdentity(identity).json());
        await().atMost(Duration.ofSeconds(30)).until(() -> "dead_lettered".equals(herald.status("hopeless")));

        assertThat(herald.sandbox().journal().forToken(identity)).hasSize(3);
        var letter = herald.read(herald.config().kafka().deadLetterTopic(), 1, Duration.ofSeconds(20))
                .get(0);
        assertThat(new String(letter.headers().lastHeader("herald-error-class").value(), StandardCharsets.UTF_8))
                .isEqualTo("exhausted");
        assertThat(new String(letter.headers().lastHeader("herald-attempts").value(), StandardCharsets.UTF_8))
                .isEqualTo("3");
        assertThat(new String(letter.headers().lastHeader("herald-http-status").value(), StandardCharsets.UTF_8))
                .isEqualTo("502");
        assertThat(herald.count("SELECT count(*) FROM attempts WHERE command_id = 'hopeless'"))
                .isEqualTo(3);
        assertThat(herald.count(
                        "SELECT jsonb_array_length(attempt_history) FROM dead_letters WHERE command_id = 'hopeless'"))
                .as("the dead letter keeps the history of its calls")
                .isEqualTo(3);
    }
}
