package io.herald.sandbox;

import static io.herald.testing.SharingBodies.forIdentity;
import static io.herald.testing.SharingBodies.forUser;
import static io.herald.testing.SharingBodies.publish;
import static io.herald.testing.SharingBodies.republish;
import static io.herald.testing.SharingBodies.token;
import static io.herald.testing.SharingBodies.tweet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.herald.testing.SandboxHttp;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AnomalyIT extends SandboxFixture {
    private SandboxHttp.Reply tweetAs(String identity) {
        return http.post("/push/identities/" + identity + "/twitter/post.json", tweet("Hello"));
    }

    private int messages() {
        return http.get("/sharing/messages.json")
                .data()
                .at("/sharing_messages/count")
                .asInt();
    }

    @Test
    void an_html_page_answers_200_as_text_html_and_the_call_has_no_effect() {
        var user = token();
        sandbox.setFaults(Faults.NONE.withRule(FaultRule.answerWith(user, Anomaly.HTML_PAGE)));

        var reply = http.post("/sharing/messages.json", publish(forUser(user, "facebook"), "Hello"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).startsWith("<html>").contains("Gateway").endsWith("</html>\r\n");
        assertThat(reply.json().isMissingNode()).isTrue();
        assertThat(messages()).isZero();
        assertThat(sandbox.journal().forToken(user))
                .extracting(Journal.Entry::status, Journal.Entry::effect, Journal.Entry::fault)
                .containsExactly(tuple(200, false, "html_page"));
    }

    @Test
    void an_error_flag_answers_200_with_an_error_envelope_and_the_call_has_no_effect() {
        var identity = token();
        sandbox.setFaults(Faults.NONE.withRule(FaultRule.answerWith(identity, Anomaly.ERROR_FLAG)));

        var push = tweetAs(identity);
        var publish = http.post("/sharing/messages.json", publish(forIdentity(identity), "Hello"));

        for (var reply : java.util.List.of(push, publish)) {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            assertThat(reply.requestStatus().path("flag").asText()).isEqualTo("error");
            assertThat(reply.requestStatus().path("code").asInt()).isEqualTo(200);
            assertThat(reply.json().path("response").has("result")).isFalse();
        }
        assertThat(messages()).isZero();
        assertThat(sandbox.journal().forToken(identity))
                .extracting(Journal.Entry::effect, Journal.Entry::fault)
                .containsExactly(tuple(false, "error_flag"), tuple(false, "error_flag"));
    }

    @Test
    void a_nul_character_lands_in_a_pushs_post_id_and_a_publishs_publications_and_the_call_takes_effect() {
        var identity = token();
        var user = token();
        sandbox.setFaults(Faults.NONE
                .withRule(FaultRule.answerWith(identity, Anomaly.NUL_CHARACTER))
                .withRule(FaultRule.answerWith(user, Anomaly.NUL_CHARACTER)));

        var push = tweetAs(identity);
        var publish = http.post("/sharing/messages.json", publish(forUser(user, "facebook", "twitter"), "Hello"));

        assertThat(push.status()).isEqualTo(200);
        assertThat(push.body()).contains("\\u0000");
        assertThat(push.data().path("post_id").asText()).contains("\u0000").matches("\\d+\u0000\\d+");
        assertThat(publish.status()).isEqualTo(200);
        assertThat(publish.data().at("/sharing_message/publications"))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.at("/status/message").asText()).isEqualTo("Published\u0000"));
        var token = publish.data().at("/sharing_message/sharing_message_token").asText();
        assertThat(http.get("/sharing/messages/" + token + ".json")
                        .data()
                        .at("/sharing_message/publications/0/status/message")
                        .asText())
                .isEqualTo("Published");
        assertThat(sandbox.journal().entries(e -> identity.equals(e.token()) || user.equals(e.target())))
                .extracting(Journal.Entry::effect, Journal.Entry::fault)
                .containsExactly(tuple(true, "nul_character"), tuple(true, "nul_character"));
    }

    @Test
    void a_publish_answer_missing_its_message_token_still_keeps_the_message() {
        var user = token();
        sandbox.setFaults(Faults.NONE.withRule(FaultRule.answerWith(user, Anomaly.MISSING_MESSAGE_TOKEN)));

        var reply = http.post("/sharing/messages.json", publish(forUser(user, "linkedin"), "Hello"));

        assertThat(reply.status()).isEqualTo(200);
        var message = reply.data().path("sharing_message");
        assertThat(message.has("sharing_message_token")).isFalse();
        assertThat(message.path("publications")).hasSize(1);
        assertThat(messages()).isEqualTo(1);
        assertThat(sandbox.journal().forToken(user))
                .extracting(Journal.Entry::effect, Journal.Entry::fault)
                .containsExactly(tuple(true, "missing_message_token"));
    }

    @Test
    void a_push_answer_with_a_10000_character_post_id_takes_effect() {
        var identity = token();
        sandbox.setFaults(Faults.NONE.withRule(
                FaultRule.answerWith(identity, Anomaly.LONG_POST_ID).onlyFirst(1)));

        var long1 = tweetAs(identity);
        var normal = tweetAs(identity);

        assertThat(long1.data().path("post_id").asText())
                .hasSize(Anomaly.LONG_POST_ID_LENGTH)
                .containsOnlyDigits();
        assertThat(long1.data().path("provider").asText()).isEqualTo("twitter");
        assertThat(normal.data().path("post_id").asText().length()).isLessThan(20);
        assertThat(sandbox.journal().forToken(identity))
                .extracting(Journal.Entry::effect, Journal.Entry::fault)
                .containsExactly(tuple(true, "long_post_id"), tuple(true, null));
    }

    @Test
    void an_anomaly_that_does_not_fit_the_call_leaves_its_answer_alone_and_the_journal_says_no_fault() {
        var user = token();
        var identity = token();
        sandbox.setFaults(Faults.NONE
                .withRule(FaultRule.answerWith(user, Anomaly.LONG_POST_ID))
                .withRule(FaultRule.answerWith(identity, Anomaly.MISSING_MESSAGE_TOKEN)));

        var publish = http.post("/sharing/messages.json", publish(forUser(user, "facebook"), "Hello"));
        var push = tweetAs(identity);
        var refused = http.post("/push/identities/" + identity + "/twitter/post.json", tweet("x".repeat(141)));

        assertThat(publish.data().at("/sharing_message/sharing_message_token").asText())
                .isNotBlank();
        assertThat(push.data().path("post_id").asText()).isNotBlank();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(sandbox.journal().entries())
                .extracting(Journal.Entry::status, Journal.Entry::effect, Journal.Entry::fault)
                .containsExactly(tuple(200, true, null), tuple(200, true, null), tuple(400, false, null));
    }

    @Test
    void an_anomaly_rate_answers_a_share_of_calls_and_the_journal_tells_which_took_effect() {
        sandbox.setFaults(Faults.NONE.withAnomalyRate(Anomaly.HTML_PAGE, 0.5));
        var identity = token();

        var replies = http.postAll(
                "/push/identities/" + identity + "/twitter/post.json", Collections.nCopies(200, tweet("Hi")));

        long pages = replies.stream().filter(r -> r.body().startsWith("<html>")).count();
        assertThat(pages).isBetween(50L, 150L);
        assertThat(replies).allMatch(r -> r.status() == 200);
        var journal = sandbox.journal().forToken(identity);
        assertThat(journal)
                .filteredOn(Journal.Entry::effect)
                .hasSize(200 - (int) pages)
                .allMatch(e -> e.fault() == null);
        assertThat(journal)
                .filteredOn(e -> !e.effect())
                .hasSize((int) pages)
                .allMatch(e -> "html_page".equals(e.fault()));
    }

    @Test
    void anomalies_are_set_over_http_by_rule_and_by_rate() {
        var identity = token();
        var put = http.put("/sandbox/faults", """
                {"rules":[{"token":"%s","anomaly":"long_post_id","fail_first":1}],"anomaly_rates":{"error_flag":1.0}}
                """.formatted(identity));

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().at("/rules/0/anomaly").asText()).isEqualTo("long_post_id");
        assertThat(put.json().at("/anomalyRates/error_flag").asDouble()).isEqualTo(1.0);
        assertThat(tweetAs(identity).data().path("post_id").asText()).hasSize(Anomaly.LONG_POST_ID_LENGTH);
        assertThat(tweetAs(identity).requestStatus().path("flag").asText()).isEqualTo("error");
        assertThat(http.put(
                                "/sandbox/faults",
                                "{\"rules\":[{\"token\":\"t\",\"anomaly\":\"html_page\",\"status\":502}]}")
                        .status())
                .isEqualTo(400);
        assertThat(http.put("/sandbox/faults", "{\"anomaly_rates\":{\"html_page\":0.7,\"error_flag\":0.7}}")
                        .status())
                .isEqualTo(400);
        assertThat(http.put("/sandbox/faults", "{\"anomaly_rates\":{\"gibberish\":0.1}}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void a_republish_answer_can_carry_an_anomaly_too() {
        var identity = token();
        var token = http.post("/sharing/messages.json", publish(forIdentity(identity), "Hello"))
                .data()
                .at("/sharing_message/sharing_message_token")
                .asText();
        sandbox.setFaults(Faults.NONE.withRule(FaultRule.answerWith(token, Anomaly.MISSING_MESSAGE_TOKEN)));

        var reply = http.post("/sharing/messages/" + token + ".json", republish(forIdentity(identity)));

        assertThat(reply.data().path("sharing_message").has("sharing_message_token"))
                .isFalse();
        assertThat(reply.data().at("/sharing_message/publications")).hasSize(2);
        assertThat(sandbox.journal().entries(e -> token.equals(e.token())))
                .extracting(Journal.Entry::effect)
                .containsExactly(true);
    }
}
