package io.herald.sandbox;

import static io.herald.testing.SharingBodies.forIdentity;
import static io.herald.testing.SharingBodies.forUser;
import static io.herald.testing.SharingBodies.publish;
import static io.herald.testing.SharingBodies.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.schema.PushEndpoint;
import io.herald.testing.SandboxHttp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OneAllSandboxIT extends SandboxFixture {
    @Test
    void ping_answers_200_with_the_site_keys_and_the_documented_401_without_them() {
        var ok = http.get("/tools/ping.json");
        var wrong = new SandboxHttp(sandbox.baseUri(), sandbox.publicKey(), "wrong").get("/tools/ping.json");
        var missing = http.withoutCredentials("/tools/ping.json");

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.requestStatus().path("flag").asText()).isEqualTo("success");
        for (var reply : java.util.List.of(wrong, missing)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.requestStatus().path("code").asInt()).isEqualTo(401);
            assertThat(reply.requestStatus().path("info").asText())
                    .isEqualTo(
                            "Authentication credentials are missing or incorrect: http://docs.oneall.com/api/basic/authentication/");
            assertThat(reply.json().path("response").has("result")).isFalse();
        }
    }

    @Test
    void publish_for_a_user_creates_one_publication_per_provider_in_the_documented_layout() {
        var user = token();
        var reply = http.post(
                "/sharing/messages.json", publish(forUser(user, "facebook", "twitter"), "Sale http://example.com/a"));

        assertThat(reply.status()).isEqualTo(200);
        var message = reply.data().path("sharing_message");
        assertThat(message.path("sharing_message_token").asText()).matches(io.herald.schema.Tokens.UUID);
        var publications = message.path("publications");
        assertThat(publications.isArray()).isTrue();
        assertThat(publications).hasSize(2);
        assertThat(publications.get(0).path("provider").asText()).isEqualTo("facebook");
        assertThat(publications.get(1).path("provider").asText()).isEqualTo("twitter");
        assertThat(publications.get(0).path("user_token").asText()).isEqualTo(user);
        var shortUrl = publications.get(0).path("tracked_shorturls").get(0).path("shorturl");
        assertThat(shortUrl.path("original_url").asText()).isEqualTo("http://example.com/a");
        assertThat(shortUrl.path("short_url").asText()).startsWith("http://oal.lu/");
        assertThat(shortUrl.path("num_referrals").isTextual()).isTrue();
        assertThat(reply.json().at("/response/request/resource").asText()).isEqualTo("/sharing/messages.json");
    }

    @Test
    void referral_counts_of_tracked_short_urls_grow_over_time() {
        var published = http.post("/sharing/messages.json", publish(forIdentity(token()), "See http://example.com/b"));
        var token =
                published.data().at("/sharing_message/sharing_message_token").asText();

        var before = http.get("/sharing/messages/" + token + ".json");
        clock.advance(Duration.ofMinutes(10));
        var after = http.get("/sharing/messages/" + token + ".json");

        var path = "/sharing_message/publications/0/tracked_shorturls/0/shorturl/num_referrals";
        assertThat(Long.parseLong(before.data().at(path).asText())).isZero();
        assertThat(Long.parseLong(after.data().at(path).asText())).isGreaterThan(100);
        assertThat(after.data()
                        .at("/sharing_message/publications/0/tracked_shorturls/0/shorturl/date_last_referral")
                        .isTextual())
                .isTrue();
    }

    @Test
    void publish_is_refused_with_400_when_the_request_breaks_the_documented_rules() {
        assertThat(http.post("/sharing/messages.json", "not json").status()).isEqualTo(400);
        assertThat(http.post("/sharing/messages.json", "{\"sharing_message\":{}}")
                        .status())
                .isEqualTo(400);
        assertThat(http.post(
                                "/sharing/messages.json",
                                publish(forUser(token(), "facebook") + "," + forIdentity(token()), "x"))
                        .status())
                .isEqualTo(400);
        assertThat(http.post(
                                "/sharing/messages.json",
                                "{\"request\":{\"sharing_message\":{\"parts\":{\"picture\":{\"url\":\"http://x/p.png\"}},"
                                        + forIdentity(token()) + "}}}")
                        .status())
                .isEqualTo(400);
        assertThat(http.post("/sharing/messages.json", publish(forUser(token(), "myspace"), "x"))
                        .status())
                .isEqualTo(400);
        var reply = http.post("/sharing/messages.json", publish(forUser("../../etc", "facebook"), "x"));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.requestStatus().path("flag").asText()).isEqualTo("error");
    }

    @Test
    void republish_appends_publications_that_a_read_lists_and_an_unknown_message_is_404() {
        var published = http.post("/sharing/messages.json", publish(forUser(token(), "linkedin"), "Hello"));
        var token =
                published.data().at("/sharing_message/sharing_message_token").asText();

        var republished = http.post(
                "/sharing/messages/" + token + ".json",
                "{\"request\":{\"sharing_message\":{" + forIdentity(token()) + "}}}");
        var read = http.get("/sharing/messages/" + token + ".json");

        assertThat(republished.status()).isEqualTo(200);
        assertThat(read.data().at("/sharing_message/publications")).hasSize(2);
        assertThat(read.data().at("/sharing_message/publications/1/provider").asText())
                .isEqualTo("facebook");
        assertThat(http.post(
                                "/sharing/messages/" + token() + ".json",
                                "{\"request\":{\"sharing_message\":{" + forIdentity(token()) + "}}}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void delete_requires_confirmation_and_a_deleted_message_is_gone() {
        var published = http.post("/sharing/messages.json", publish(forIdentity(token()), "Bye"));
        var token =
                published.data().at("/sharing_message/sharing_message_token").asText();

        var unconfirmed = http.delete("/sharing/messages/" + token + ".json");
        var confirmed = http.delete("/sharing/messages/" + token + ".json?confirm_deletion=true");

        assertThat(unconfirmed.status()).isEqualTo(400);
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.requestStatus().path("info").asText())
                .isEqualTo("The specified sharing_message has successfully been removed");
        assertThat(confirmed.json().path("response").has("result")).isFalse();
        assertThat(confirmed.json().at("/response/request/resource").asText()).endsWith("?confirm_deletion=true");
        assertThat(http.get("/sharing/messages/" + token + ".json").status()).isEqualTo(404);
    }

    @Test
    void every_push_endpoint_answers_provider_object_post_id_and_location() {
        for (var endpoint : PushEndpoint.values()) {
            if (endpoint == PushEndpoint.FACEBOOK_POST) {
                continue;
            }
            var path = endpoint.template().replace("<board_id>", "board_1").replace("<playlist_id>", "PL-42");
            var reply = http.post(
                    "/push/identities/" + token() + "/" + path + ".json",
                    "{\"request\":{\"push\":{\""
                            + (path.startsWith("facebook/page")
                                    ? "page"
                                    : path.startsWith("facebook/group") ? "group" : "post")
                            + "\":{\"message\":\"Hello\"}}}}");
            assertThat(reply.status()).as(path).isEqualTo(200);
            assertThat(reply.data().path("provider").asText()).as(path).isEqualTo(endpoint.provider());
            assertThat(reply.data().path("object").asText()).as(path).isEqualTo(endpoint.object());
            assertThat(reply.data().path("post_id").asText()).as(path).isNotBlank();
            assertThat(reply.data().path("post_location").asText()).as(path).startsWith("https://");
        }
    }

    @Test
    void push_refuses_another_providers_identity_the_deprecated_facebook_post_and_an_over_long_tweet() {
        var identity = token();
        sandbox.addIdentity(identity, "twitter", null);
        var tweet = "{\"request\":{\"push\":{\"post\":{\"message\":\"%s\"}}}}";

        assertThat(http.post("/push/identities/" + identity + "/linkedin/post.json", tweet.formatted("x"))
                        .status())
                .isEqualTo(403);
        assertThat(http.post("/push/identities/" + identity + "/twitter/post.json", tweet.formatted("x".repeat(141)))
                        .status())
                .isEqualTo(400);
        assertThat(http.post("/push/identities/" + identity + "/twitter/post.json", tweet.formatted("x".repeat(140)))
                        .status())
                .isEqualTo(200);
        var deprecated = http.post("/push/identities/" + token() + "/facebook/post.json", tweet.formatted("x"));
        assertThat(deprecated.status()).isEqualTo(403);
        assertThat(deprecated.requestStatus().path("info").asText()).contains("deprecated");
        assertThat(http.post("/push/identities/" + token() + "/myspace/post.json", tweet.formatted("x"))
                        .status())
                .isEqualTo(404);
        assertThat(http.post("/push/identities/" + token() + "/pinterest/board/a.b/pin.json", tweet.formatted("x"))
                        .status())
                .isEqualTo(404);
        assertThat(http.post("/push/identities/" + token() + "/twitter/post.json", "{\"request\":{}}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void the_journal_records_every_request_with_its_token_digest_status_and_effect() {
        var identity = token();
        var body = "{\"request\":{\"push\":{\"post\":{\"message\":\"m\"}}}}";
        http.post("/push/identities/" + identity + "/twitter/post.json", body);
        http.post("/push/identities/" + identity + "/twitter/post.json", body);

        var entries = sandbox.journal().forToken(identity);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).method()).isEqualTo("POST");
        assertThat(entries.get(0).path()).isEqualTo("/push/identities/" + identity + "/twitter/post.json");
        assertThat(entries.get(0).bodyDigest())
                .hasSize(64)
                .isEqualTo(entries.get(1).bodyDigest());
        assertThat(entries).extracting(Journal.Entry::status).containsExactly(200, 200);
        assertThat(entries.get(1).sequence()).isGreaterThan(entries.get(0).sequence());
        assertThat(sandbox.journal().received()).isEqualTo(2);
    }

    @Test
    void faults_and_journal_are_administered_over_http_too() {
        var identity = token();
        var put = http.put("/sandbox/faults", """
                {"latencyMs":0,"latencyJitterMs":0,"errorRates":{},"retryAfterSeconds":0,"outage":false,
                 "rules":[{"token":"%s","provider":null,"status":502,"failFirst":1,"hang":false,"retryAfterSeconds":0}]}
                """.formatted(identity));
        assertThat(put.status()).isEqualTo(200);
        assertThat(http.post(
                                "/push/identities/" + identity + "/twitter/post.json",
                                "{\"request\":{\"push\":{\"post\":{\"message\":\"m\"}}}}")
                        .status())
                .isEqualTo(502);

        var journal = http.get("/sandbox/journal?token=" + identity);
        assertThat(journal.json().path("entries")).hasSize(1);
        assertThat(journal.json().at("/entries/0/status").asInt()).isEqualTo(502);
        assertThat(http.put("/sandbox/faults", "{\"errorRates\":{\"200\":1.5}}").status())
                .isEqualTo(400);
        assertThat(http.delete("/sandbox/journal").status()).isEqualTo(200);
        assertThat(sandbox.journal().entries()).isEmpty();
    }

    @Test
    void the_faults_json_takes_snake_case_names_for_every_field() {
        var put = http.put("/sandbox/faults", """
                {"latency_ms": 20, "latency_jitter_ms": 5, "error_rates": {"503": 0.05}, "retry_after_seconds": 3,
                 "rate_limits": {"twitter": {"per_second": 100, "burst": 100}}, "anomaly_rates": {"html_page": 0.01},
                 "republish_answer": "new_publications",
                 "rules": [{"token": "T", "anomaly": "nul_character"}, {"token": "U", "status": 503, "fail_first": 2}]}
                """);

        assertThat(put.status()).isEqualTo(200);
        assertThat(sandbox.faults())
                .isEqualTo(Faults.NONE
                        .withLatency(20, 5)
                        .withErrorRate(503, 0.05)
                        .withRetryAfter(3)
                        .withRateLimit("twitter", 100, 100)
                        .withAnomalyRate(Anomaly.HTML_PAGE, 0.01)
                        .withRepublishAnswer(RepublishAnswer.NEW_PUBLICATIONS)
                        .withRule(FaultRule.answerWith("T", Anomaly.NUL_CHARACTER))
                        .withRule(FaultRule.failFirst("U", 2, 503)));
        assertThat(http.get("/sandbox/faults").json()).isEqualTo(put.json());
    }
}
