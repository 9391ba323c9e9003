package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.store.IdentityHolds;
import io.herald.testing.HeraldCli;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: a 401 for one identity while the site's keys are good holds that identity: its commands wait (neither
 * sent again nor dead-lettered) until an operator resumes it, then go once each, in order; the others go on. Unresumed
 * until its hold expires, its commands are dead-lettered as {@code credentials}.
 */
@Timeout(180)
class IdentityHoldIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    private List<String> sentTexts(String identity, int status) {
        return herald.sandbox().journal().forToken(identity).stream()
                .filter(e -> e.status() == status)
                .map(e -> e.excerpt().replaceAll("(?s).*\"message\":\"([^\"]+)\".*", "$1"))
                .toList();
    }

    @Test
    void an_identity_refused_by_oneall_holds_its_twenty_commands_until_resumed_then_they_are_sent_once_each_in_order()
            throws Exception {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failFirst(identity, 1, 401)));
        var worker = herald.startWorker();
        var held = IntStream.range(0, 20)
                .mapToObj(i -> aPush().withId("held-" + i)
                        .forIdentity(identity)
                        .saying("held-" + i)
                        .json())
                .toList();
        var others = IntStream.range(0, 10)
                .mapToObj(i -> aPush().withId("other-" + i).json())
                .toList();
        var all = new ArrayList<>(held);
        all.addAll(others);
        herald.sendAll(all);

        var holds = new IdentityHolds(herald.database());
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(holds.held())
                        .singleElement()
                        .satisfies(hold -> assertThat(hold.waiting()).isEqualTo(20)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE command_id LIKE 'other-%'"
                                + " AND status = 'succeeded'")
                        == 10);
        var listed = HeraldCli.run(herald.environment(), "identities");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out())
                .startsWith("1 identity held")
                .contains(identity + "  20 command(s) waiting")
                .contains("HTTP 401");
        var json = JSON.readTree(
                HeraldCli.run(herald.environment(), "identities", "--json").out());
        assertThat(json.path("identities").get(0).path("waiting").asInt()).isEqualTo(20);
        assertThat(herald.sandbox().journal().forToken(identity))
                .as("held, not sent again")
                .hasSize(1);
        assertThat(herald.sandbox().journal().entries(e -> e.path().equals("/tools/ping.json")))
                .as("the site's keys were checked")
                .isNotEmpty();
        assertThat(herald.count("SELECT count(*) FROM dead_letters")).isZero();
        var events = herald.read(herald.config().kafka().outcomesTopic(), 11, Duration.ofSeconds(30));
        assertThat(events).extracting(record -> JSON.readTree(record.value())).anySatisfy(event -> {
            assertThat(event.path("command_id").asText()).isEqualTo("held-0");
            assertThat(event.path("status").asText()).isEqualTo("held");
            assertThat(event.path("error").path("class").asText()).isEqualTo("credentials");
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> worker.metrics().render().contains("herald_identities_held 1.0"));

        var resumed =
                HeraldCli.run(herald.environment(), "identities", "--resume", identity, "--by", "identity-hold-it");

        assertThat(resumed.exitCode()).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE command_id LIKE 'held-%'"
                                + " AND status = 'succeeded'")
                        == 20);
        assertThat(sentTexts(identity, 401)).containsExactly("held-0");
        assertThat(sentTexts(identity, 200))
                .as("each sent once after --resume, in order")
                .containsExactlyElementsOf(
                        IntStream.range(0, 20).mapToObj(i -> "held-" + i).toList());
        assertThat(herald.sandbox().journal().forToken(identity)).hasSize(21);
        assertThat(holds.held()).isEmpty();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> worker.metrics().render().contains("herald_identities_held 0.0"));
        var again = HeraldCli.run(herald.environment(), "identities", "--resume", identity);
        assertThat(again.exitCode()).isEqualTo(io.herald.cli.ExitCodes.RUNTIME);
        assertThat(again.err()).contains("identity " + identity + " is not held");
    }

    @Test
    void a_held_identity_no_one_resumes_before_its_hold_expires_has_its_commands_dead_lettered_as_credentials() {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failAlways(identity, 401)));
        herald.with("HERALD_IDENTITY_HOLD_S", "3").startWorker();

        herald.sendAll(IntStream.range(0, 5)
                .mapToObj(i ->
                        aPush().withId("expired-" + i).forIdentity(identity).json())
                .toList());

        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE status = 'dead_lettered'") == 5);
        assertThat(herald.strings("SELECT error_class FROM dead_letters"))
                .hasSize(5)
                .containsOnly("credentials");
        assertThat(herald.sandbox().journal().forToken(identity))
                .extracting(Journal.Entry::status)
                .as("sent once, then held")
                .containsExactly(401);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> new IdentityHolds(herald.database()).held().isEmpty());
    }
}
