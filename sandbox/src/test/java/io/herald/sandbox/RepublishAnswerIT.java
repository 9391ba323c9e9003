package io.herald.sandbox;

import static io.herald.testing.SharingBodies.forIdentity;
import static io.herald.testing.SharingBodies.forUser;
import static io.herald.testing.SharingBodies.publish;
import static io.herald.testing.SharingBodies.republish;
import static io.herald.testing.SharingBodies.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.MutableClock;
import io.herald.testing.SandboxHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RepublishAnswerIT {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private OneAllSandbox sandbox;
    private SandboxHttp http;

    private void start(OneAllSandbox.Builder builder) {
        sandbox = builder.clock(clock).eventLoops(1).start();
        http = new SandboxHttp(sandbox.baseUri(), sandbox.publicKey(), sandbox.privateKey());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private String published(String forTarget) {
        var reply = http.post("/sharing/messages.json", publish(forTarget, "Sale http://example.com/a"));
        assertThat(reply.status()).isBetween(200, 207);
        return reply.data().at("/sharing_message/sharing_message_token").asText();
    }

    private static List<String> providersAndFlags(JsonNode publications) {
        var list = new ArrayList<String>();
        publications.forEach(p -> list.add(
                p.path("provider").asText() + ":" + p.at("/status/flag").asText()));
        return list;
    }

    @Test
    void a_republish_answers_the_whole_message_with_every_publication_so_far_by_default() {
        start(OneAllSandbox.builder());
        var user = token();
        var token = published(forUser(user, "linkedin"));
        clock.advance(Duration.ofMinutes(5));
        var identity = token();

        var reply = http.post("/sharing/messages/" + token + ".json", republish(forIdentity(identity)));

        assertThat(reply.status()).isEqualTo(200);
        var message = reply.data().path("sharing_message");
        assertThat(message.path("sharing_message_token").asText()).isEqualTo(token);
        assertThat(message.path("date_creation").asText()).isEqualTo("Thu, 01 Jan 2026 10:00:00 +0000");
        assertThat(message.path("date_last_published").asText()).isEqualTo("Thu, 01 Jan 2026 10:05:00 +0000");
        assertThat(message.at("/parts/text/body").asText()).isEqualTo("Sale http://example.com/a");
        var publications = message.path("publications");
        assertThat(providersAndFlags(publications)).containsExactly("linkedin:success", "facebook:success");
        assertThat(publications.get(0).path("user_token").asText()).isEqualTo(user);
        assertThat(publications.get(0).path("date_publication").asText()).isEqualTo("Thu, 01 Jan 2026 10:00:00 +0000");
        assertThat(publications.get(1).path("identity_token").asText()).isEqualTo(identity);
        assertThat(publications.get(1).path("date_publication").asText()).isEqualTo("Thu, 01 Jan 2026 10:05:00 +0000");
        for (var publication : publications) {
            assertThat(publication.fieldNames())
                    .toIterable()
                    .containsExactly(
                            "provider",
                            "user_token",
                            "identity_token",
                            "date_publication",
                            "status",
                            "tracked_shorturls");
            assertThat(publication.path("status").fieldNames()).toIterable().containsExactly("flag", "code", "message");
            assertThat(publication
                            .at("/tracked_shorturls/0/shorturl/original_url")
                            .asText())
                    .isEqualTo("http://example.com/a");
        }
        assertThat(reply.data())
                .isEqualTo(http.get("/sharing/messages/" + token + ".json").data());
    }

    @Test
    void a_republish_answers_only_its_new_publications_when_the_builder_says_so() {
        start(OneAllSandbox.builder().republishAnswer(RepublishAnswer.NEW_PUBLICATIONS));
        var token = published(forUser(token(), "linkedin", "twitter"));

        var reply = http.post("/sharing/messages/" + token + ".json", republish(forUser(token(), "facebook")));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.data().at("/sharing_message/sharing_message_token").asText())
                .isEqualTo(token);
        assertThat(providersAndFlags(reply.data().at("/sharing_message/publications")))
                .containsExactly("facebook:success");
        assertThat(http.get("/sharing/messages/" + token + ".json").data().at("/sharing_message/publications"))
                .hasSize(3);
    }

    @Test
    void the_faults_json_switches_the_republish_answer_at_run_time_and_back_to_the_builders() {
        start(OneAllSandbox.builder());
        var token = published(forIdentity(token()));

        assertThat(http.put("/sandbox/faults", "{\"republish_answer\":\"new_publications\"}")
                        .json()
                        .path("republishAnswer")
                        .asText())
                .isEqualTo("new_publications");
        var newOnly = http.post("/sharing/messages/" + token + ".json", republish(forIdentity(token())));
        assertThat(http.put("/sandbox/faults", "{\"republishAnswer\":\"whole_message\"}")
                        .status())
                .isEqualTo(200);
        var whole = http.post("/sharing/messages/" + token + ".json", republish(forIdentity(token())));
        sandbox.setFaults(Faults.NONE
                .withRepublishAnswer(RepublishAnswer.NEW_PUBLICATIONS)
                .withRepublishAnswer(null));
        var builders = http.post("/sharing/messages/" + token + ".json", republish(forIdentity(token())));

        assertThat(newOnly.data().at("/sharing_message/publications")).hasSize(1);
        assertThat(whole.data().at("/sharing_message/publications")).hasSize(3);
        assertThat(builders.data().at("/sharing_message/publications")).hasSize(4);
        assertThat(http.put("/sandbox/faults", "{\"republish_answer\":\"some\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void a_failed_publication_of_a_207_publish_stays_on_the_message_beside_the_later_successful_one() {
        start(OneAllSandbox.builder());
        var user = token();
        sandbox.setFaults(Faults.NONE.withRule(
                FaultRule.failProvider(user, "twitter", 503).onlyFirst(1)));
        var published = http.post("/sharing/messages.json", publish(forUser(user, "facebook", "twitter"), "Partly"));
        var token =
                published.data().at("/sharing_message/sharing_message_token").asText();
        clock.advance(Duration.ofMinutes(1));

        var reply = http.post("/sharing/messages/" + token + ".json", republish(forUser(user, "twitter")));

        assertThat(published.status()).isEqualTo(207);
        assertThat(reply.status()).isEqualTo(200);
        var publications = reply.data().at("/sharing_message/publications");
        assertThat(providersAndFlags(publications))
                .containsExactly("facebook:success", "twitter:error", "twitter:success");
        assertThat(publications.get(1).at("/status/code").asInt()).isEqualTo(503);
        assertThat(publications.get(1).has("tracked_shorturls")).isFalse();
        assertThat(publications.get(1).path("user_token").asText())
                .isEqualTo(publications.get(2).path("user_token").asText());
        assertThat(publications.get(1).path("identity_token").asText())
                .isEqualTo(publications.get(2).path("identity_token").asText());
        assertThat(providersAndFlags(
                        http.get("/sharing/messages/" + token + ".json").data().at("/sharing_message/publications")))
                .containsExactly("facebook:success", "twitter:error", "twitter:success");
        assertThat(sandbox.journal().forToken(user))
                .extracting(Journal.Entry::status, Journal.Entry::effect)
                .containsExactly(tuple(207, true), tuple(200, true));
    }

    @Test
    void a_republish_failing_for_every_provider_keeps_nothing_on_the_message() {
        start(OneAllSandbox.builder());
        var user = token();
        var token = published(forUser(user, "facebook"));
        sandbox.setFaults(Faults.NONE.withRule(FaultRule.failProvider(user, "facebook", 403)));

        var reply = http.post("/sharing/messages/" + token + ".json", republish(forUser(user, "facebook")));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("response").has("result")).isFalse();
        assertThat(providersAndFlags(
                        http.get("/sharing/messages/" + token + ".json").data().at("/sharing_message/publications")))
                .containsExactly("facebook:success");
        assertThat(sandbox.journal().entries(e -> e.method().equals("POST") && token.equals(e.token())))
                .extracting(Journal.Entry::status, Journal.Entry::effect)
                .containsExactly(tuple(403, false));
    }
}
