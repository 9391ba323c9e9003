package io.herald.cli;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.store.jdbc.Migrations;
import io.herald.testing.HeraldCli;
import io.herald.testing.WorkerHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guarantee: a cancelled command is never sent, ends {@code cancelled} with an outcome event; one in flight or ended is refused. */
@Timeout(180)
class CancelIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    private HeraldCli.Run cancel(String commandId) {
        return HeraldCli.run(herald.environment(), "cancel", commandId, "--by", "cancel-it");
    }

    /** The command's outcome events on the outcomes topic, once {@code expected} of them are in. */
    private List<JsonNode> events(String commandId, int expected) {
        var events = new java.util.ArrayList<JsonNode>();
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            events.clear();
            for (var record : herald.read(herald.config().kafka().outcomesTopic(), 1_000, Duration.ofSeconds(2))) {
                var event = read(record.value());
                if (commandId.equals(event.path("command_id").asText())) {
                    events.add(event);
                }
            }
            return events.size() >= expected;
        });
        return events;
    }

    private static JsonNode read(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void a_scheduled_command_cancelled_before_it_is_due_is_never_sent() {
        herald.startWorker();
        var identity = token();
        var due = Instant.now().plusSeconds(8);
        herald.send(
                aPush().withId("scheduled").forIdentity(identity).notBefore(due).json());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.count("SELECT count(*) FROM parked WHERE command_id = 'scheduled'") == 1);
        assertThat(HeraldCli.run(herald.environment(), "status", "scheduled").out())
                .contains("status     pending after 0 attempt(s) (scheduled for ");

        var run = cancel("scheduled");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("command scheduled cancelled; it was scheduled for ");
        assertThat(herald.status("scheduled")).isEqualTo("cancelled");
        assertThat(herald.count("SELECT count(*) FROM parked")).isZero();
        var event = events("scheduled", 1).get(0);
        assertThat(event.path("status").asText()).isEqualTo("cancelled");
        assertThat(event.path("type").asText()).isEqualTo("push");
        await().pollDelay(Duration.between(Instant.now(), due).plusSeconds(2))
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(herald.sandbox().journal().forToken(identity))
                        .isEmpty());
        assertThat(herald.status("scheduled")).isEqualTo("cancelled");
    }

    @Test
    void a_command_cancelled_while_still_on_the_topic_ends_cancelled_when_consumed_and_is_never_sent() {
        var identity = token();
        Migrations.apply(herald.database());
        var run = cancel("unconsumed");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .isEqualTo("command unconsumed cancelled; it was not consumed yet (still on the commands topic)\n");

        herald.send(aPush().withId("unconsumed").forIdentity(identity).json());
        herald.startWorker();

        await().atMost(Duration.ofSeconds(60)).until(() -> herald.committedOffsets() == 1);
        var events = events("unconsumed", 2);
        assertThat(events).extracting(e -> e.path("status").asText()).containsOnly("cancelled");
        assertThat(events)
                .extracting(e -> e.path("type").asText())
                .as("the worker that consumed it announces it again, typed")
                .contains("push");
        assertThat(herald.status("unconsumed")).isEqualTo("cancelled");
        assertThat(herald.sandbox().journal().forToken(identity)).isEmpty();
    }

    @Test
    void a_command_waiting_for_its_retry_and_one_waiting_behind_it_are_cancelled_and_never_sent_again() {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failAlways(identity, 503)));
        herald.with("HERALD_RETRY_BACKOFF_MS", "20000")
                .with("HERALD_RETRY_MAX_BACKOFF_MS", "20000")
                .startWorker();
        herald.send(
                aPush().withId("retrying").forIdentity(identity).json(),
                aPush().withId("behind").forIdentity(identity).json());
        await().atMost(Duration.ofSeconds(30)).until(() -> herald.count("SELECT count(*) FROM parked") == 2);
        // the retry is due 10 to 20 s after the 503 (full jitter)
        var retryDue = Instant.now()
                .plusMillis(
                        herald.count(
                                "SELECT (extract(epoch FROM due_at - now()) * 1000)::bigint FROM parked WHERE command_id = 'retrying'"));

        var retrying = cancel("retrying");
        var behind = cancel("behind");

        assertThat(retrying.exitCode()).isZero();
        assertThat(retrying.out()).startsWith("command retrying cancelled; it was waiting for its retry at ");
        assertThat(behind.exitCode()).isZero();
        assertThat(behind.out())
                .startsWith("command behind cancelled; it was waiting behind an earlier command of its account");
        herald.sandbox().setFaults(Faults.NONE);
        assertThat(events("behind", 1).get(0).path("status").asText()).isEqualTo("cancelled");
        await().pollDelay(Duration.between(Instant.now(), retryDue).plusSeconds(2))
                .atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(herald.sandbox().journal().forToken(identity))
                        .as("only the first attempt")
                        .hasSize(1));
        assertThat(herald.strings("SELECT status FROM commands ORDER BY command_id"))
                .containsExactly("cancelled", "cancelled");
    }

    @Test
    void a_command_in_flight_or_ended_is_not_cancelled() {
        var hanging = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.hang(hanging)));
        herald.startWorker();
        herald.send(
                aPush().withId("in-flight").forIdentity(hanging).json(),
                aPush().withId("done").json());
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        "in_flight".equals(herald.status("in-flight")) && "succeeded".equals(herald.status("done")));

        var inFlight = cancel("in-flight");
        var done = cancel("done");

        assertThat(inFlight.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(inFlight.err()).contains("command in-flight is not cancelled: it is in flight");
        assertThat(done.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(done.err()).contains("command done is not cancelled: it ended succeeded");
        assertThat(herald.status("done")).isEqualTo("succeeded");
        assertThat(herald.status("in-flight")).isNotEqualTo("cancelled");
    }
}
