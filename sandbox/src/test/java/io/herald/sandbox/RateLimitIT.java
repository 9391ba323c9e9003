package io.herald.sandbox;

import static io.herald.testing.SharingBodies.forIdentity;
import static io.herald.testing.SharingBodies.forUser;
import static io.herald.testing.SharingBodies.publish;
import static io.herald.testing.SharingBodies.republish;
import static io.herald.testing.SharingBodies.token;
import static io.herald.testing.SharingBodies.tweet;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.SandboxHttp;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RateLimitIT extends SandboxFixture {
    @Override
    protected int eventLoops() {
        return 2;
    }

    private SandboxHttp.Reply tweetAs(String identity) {
        return http.post("/push/identities/" + identity + "/twitter/post.json", tweet("Hello"));
    }

    @Test
    void a_burst_beyond_a_providers_limit_is_answered_429_with_retry_after_and_has_no_effect() {
        sandbox.setFaults(Faults.NONE.withRateLimit("twitter", 100, 100));
        var identity = token();

        var replies = http.postAll(
                "/push/identities/" + identity + "/twitter/post.json", Collections.nCopies(300, tweet("Hi")));

        assertThat(replies).filteredOn(r -> r.status() == 200).hasSize(100);
        var refused = replies.stream().filter(r -> r.status() != 200).toList();
        assertThat(refused).hasSize(200).allSatisfy(reply -> {
            assertThat(reply.status()).isEqualTo(429);
            assertThat(reply.header("Retry-After")).isEqualTo("1");
            assertThat(reply.requestStatus().path("flag").asText()).isEqualTo("error");
            assertThat(reply.requestStatus().path("code").asInt()).isEqualTo(429);
            assertThat(reply.requestStatus().path("info").asText()).startsWith("You have send too many requests");
            assertThat(reply.json().path("response").has("result")).isFalse();
        });
        var journal = sandbox.journal().forToken(identity);
        assertThat(journal).hasSize(300);
        assertThat(journal)
                .filteredOn(Journal.Entry::effect)
                .hasSize(100)
                .allMatch(e -> e.status() == 200 && e.fault() == null);
        assertThat(journal)
                .filteredOn(e -> !e.effect())
                .hasSize(200)
                .allMatch(e -> e.status() == 429 && "rate_limit".equals(e.fault()));
        assertThat(http.post("/push/identities/" + token() + "/linkedin/post.json", tweet("Other provider"))
                        .status())
                .isEqualTo(200);

        clock.advance(Duration.ofSeconds(1));
        var later = http.postAll(
                "/push/identities/" + identity + "/twitter/post.json", Collections.nCopies(150, tweet("Again")));
        assertThat(later).filteredOn(r -> r.status() == 200).hasSize(100);
    }

    @Test
    void retry_after_is_the_time_until_a_token_is_available_rounded_up() {
        sandbox.setFaults(Faults.NONE.withRateLimit("twitter", 0.2, 1));
        var identity = token();

        var first = tweetAs(identity);
        var second = tweetAs(identity);
        clock.advance(Duration.ofMillis(3_500));
        var third = tweetAs(identity);
        clock.advance(Duration.ofMillis(1_499));
        var fourth = tweetAs(identity);
        clock.advance(Duration.ofMillis(1));
        var fifth = tweetAs(identity);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.header("Retry-After")).isEqualTo("5");
        assertThat(third.header("Retry-After")).isEqualTo("2");
        assertThat(fourth.header("Retry-After")).isEqualTo("1");
        assertThat(fifth.status()).isEqualTo(200);
    }

    @Test
    void a_publish_takes_a_token_from_each_provider_it_publishes_to_or_from_none() {
        sandbox.setFaults(Faults.NONE.withRateLimit("twitter", 0.01, 1).withRateLimit("facebook", 0.01, 2));
        var user = token();

        var both = http.post("/sharing/messages.json", publish(forUser(user, "facebook", "twitter"), "One"));
        var bothAgain = http.post("/sharing/messages.json", publish(forUser(user, "facebook", "twitter"), "Two"));
        var facebookOnly = http.post("/sharing/messages.json", publish(forUser(user, "facebook"), "Three"));
        var facebookAgain = http.post("/sharing/messages.json", publish(forUser(user, "facebook"), "Four"));

        assertThat(both.status()).isEqualTo(200);
        assertThat(bothAgain.status()).isEqualTo(429);
        assertThat(bothAgain.header("Retry-After")).isEqualTo("100");
        assertThat(facebookOnly.status()).isEqualTo(200);
        assertThat(facebookAgain.status()).isEqualTo(429);
        assertThat(http.get("/sharing/messages.json")
                        .data()
                        .at("/sharing_messages/count")
                        .asInt())
                .isEqualTo(2);
        assertThat(sandbox.journal().forToken(user))
                .extracting(Journal.Entry::effect)
                .containsExactly(true, false, true, false);
    }

    @Test
    void a_republish_counts_against_the_provider_of_the_identity_it_names() {
        var identity = token();
        sandbox.addIdentity(identity, "linkedin", null);
        var token = http.post("/sharing/messages.json", publish(forIdentity(identity), "Hello"))
                .data()
                .at("/sharing_message/sharing_message_token")
                .asText();
        sandbox.setFaults(Faults.NONE.withRateLimit("linkedin", 1, 1));

        var first = http.post("/sharing/messages/" + token + ".json", republish(forIdentity(identity)));
        var second = http.post("/sharing/messages/" + token + ".json", republish(forIdentity(identity)));
        var read = http.get("/sharing/messages/" + token + ".json");

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(429);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.data().at("/sharing_message/publications")).hasSize(2);
    }

    @Test
    void rate_limits_are_set_and_shown_over_http() {
        var put = http.put("/sandbox/faults", "{\"rate_limits\":{\"twitter\":{\"per_second\":100,\"burst\":2}}}");
        var identity = token();

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().at("/rateLimits/twitter/perSecond").asDouble()).isEqualTo(100);
        assertThat(put.json().at("/rateLimits/twitter/burst").asInt()).isEqualTo(2);
        assertThat(tweetAs(identity).status()).isEqualTo(200);
        assertThat(tweetAs(identity).status()).isEqualTo(200);
        assertThat(tweetAs(identity).status()).isEqualTo(429);
        assertThat(http.get("/tools/ping.json").status()).isEqualTo(200);
        assertThat(http.put("/sandbox/faults", "{\"rate_limits\":{\"twitter\":{\"per_second\":0,\"burst\":2}}}")
                        .status())
                .isEqualTo(400);
    }
}
