package io.herald.sandbox;

import static io.herald.testing.SharingBodies.forIdentity;
import static io.herald.testing.SharingBodies.forUser;
import static io.herald.testing.SharingBodies.publish;
import static io.herald.testing.SharingBodies.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FaultInjectionIT extends SandboxFixture {
    @Test
    void a_provider_rule_makes_a_multi_provider_publish_answer_207_with_each_publication_status() {
        var user = token();
        sandbox.setFaults(Faults.NONE.withRule(FaultRule.failProvider(user, "twitter", 503)));

        var reply = http.post("/sharing/messages.json", publish(forUser(user, "facebook", "twitter"), "Partly"));

        assertThat(reply.status()).isEqualTo(207);
        var publications = reply.data().at("/sharing_message/publications");
        assertThat(publications.get(0).at("/status/code").asInt()).isEqualTo(200);
        assertThat(publications.get(1).at("/status/flag").asText()).isEqualTo("error");
        assertThat(publications.get(1).at("/status/code").asInt()).isEqualTo(503);
    }

    @Test
    void fixed_latency_delays_every_answer() {
        sandbox.setFaults(Faults.NONE.withLatency(300, 0));
        long started = System.nanoTime();
        http.get("/tools/ping.json");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void jittered_latency_adds_an_exponential_delay_on_top() {
        sandbox.setFaults(Faults.NONE.withLatency(50, 100));
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            http.get("/tools/ping.json");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void error_rates_answer_each_injected_status_with_retry_after_on_429_and_503_only_when_set() {
        for (int status : new int[] {429, 500, 502, 503}) {
            sandbox.setFaults(Faults.NONE.withErrorRate(status, 1.0));
            var reply = http.get("/tools/ping.json");
            assertThat(reply.status()).isEqualTo(status);
            assertThat(reply.raw().headers().firstValue("Retry-After")).isEmpty();
        }
        sandbox.setFaults(Faults.NONE.withErrorRate(429, 1.0).withRetryAfter(7));
        assertThat(http.get("/tools/ping.json").raw().headers().firstValue("Retry-After"))
                .contains("7");
        sandbox.setFaults(Faults.NONE.withErrorRate(503, 0.5));
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            failed += http.get("/tools/ping.json").status() == 503 ? 1 : 0;
        }
        assertThat(failed).isBetween(50, 150);
    }

    @Test
    void a_fail_first_rule_fails_the_first_calls_for_a_token_then_lets_them_through() {
        var identity = token();
        sandbox.setFaults(
                Faults.NONE.withRule(FaultRule.failFirst(identity, 2, 503).withRetryAfter(3)));
        var body = "{\"request\":{\"push\":{\"post\":{\"message\":\"m\"}}}}";

        var first = http.post("/push/identities/" + identity + "/twitter/post.json", body);
        var second = http.post("/push/identities/" + identity + "/twitter/post.json", body);
        var third = http.post("/push/identities/" + identity + "/twitter/post.json", body);
        var other = http.post("/push/identities/" + token() + "/twitter/post.json", body);

        assertThat(first.status()).isEqualTo(503);
        assertThat(first.raw().headers().firstValue("Retry-After")).contains("3");
        assertThat(second.status()).isEqualTo(503);
        assertThat(third.status()).isEqualTo(200);
        assertThat(other.status()).isEqualTo(200);
        assertThat(sandbox.journal().forToken(identity))
                .extracting(Journal.Entry::effect)
                .containsExactly(false, false, true);
    }

    @Test
    void an_always_rule_keeps_failing_with_its_status() {
        var identity = token();
        sandbox.setFaults(Faults.NONE.withRule(FaultRule.failAlways(identity, 404)));
        for (int i = 0; i < 3; i++) {
            assertThat(http.post(
                                    "/push/identities/" + identity + "/twitter/post.json",
                                    "{\"request\":{\"push\":{\"post\":{\"message\":\"m\"}}}}")
                            .status())
                    .isEqualTo(404);
        }
    }

    @Test
    void a_hang_rule_performs_the_request_but_never_answers() {
        var identity = token();
        sandbox.setFaults(Faults.NONE.withRule(FaultRule.hang(identity)));

        assertThatThrownBy(() -> http.post(
                        "/push/identities/" + identity + "/twitter/post.json",
                        "{\"request\":{\"push\":{\"post\":{\"message\":\"m\"}}}}",
                        Duration.ofSeconds(2)))
                .hasRootCauseInstanceOf(HttpTimeoutException.class);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> sandbox.journal().forToken(identity).size() == 1);
        var entries = sandbox.journal().forToken(identity);
        assertThat(entries.get(0).status()).isZero();
        assertThat(entries.get(0).effect()).isTrue();
        assertThat(entries.get(0).fault()).isEqualTo("hang");
    }

    @Test
    void an_outage_answers_503_to_everything_until_it_is_switched_off() {
        sandbox.setFaults(Faults.NONE.withOutage(true));
        assertThat(http.get("/tools/ping.json").status()).isEqualTo(503);
        assertThat(http.post("/sharing/messages.json", publish(forIdentity(token()), "x"))
                        .status())
                .isEqualTo(503);
        sandbox.setFaults(sandbox.faults().withOutage(false));
        assertThat(http.get("/tools/ping.json").status()).isEqualTo(200);
    }
}
