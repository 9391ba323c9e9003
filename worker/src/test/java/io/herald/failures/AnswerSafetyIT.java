package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.sandbox.Anomaly;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.Commands;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantee: only OneAll's envelope is an answer, and whatever an answer holds, it is recorded. A 200 that is a
 * proxy's page or carries {@code status.flag = error} never makes a command succeeded; a publish answer without its
 * message token never passes a campaign's publisher role on; a NUL character or an over-long id in an answer never
 * stops the recording of that command or of the others.
 */
@Timeout(240)
class AnswerSafetyIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    /** Twenty pushes answered 200 with the anomaly: each an unknown outcome (the post may exist), dead-lettered, none succeeded. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Anomaly.class,
            names = {"HTML_PAGE", "ERROR_FLAG"})
    void a_push_answered_200_without_a_successful_envelope_is_an_unknown_outcome_never_succeeded(Anomaly anomaly) {
        var identities = IntStream.range(0, 4).mapToObj(i -> token()).toList();
        var faults = Faults.NONE;
        for (var identity : identities) {
            faults = faults.withRule(FaultRule.answerWith(identity, anomaly));
        }
        herald.sandbox().setFaults(faults);
        herald.startWorker();
        var pushes = IntStream.range(0, 20)
                .mapToObj(i -> aPush().withId("odd-" + i)
                        .forIdentity(identities.get(i % 4))
                        .json())
                .toList();
        herald.sendAll(pushes);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE status = 'dead_lettered'") == 20);

        var calls = herald.sandbox().journal().entries(entry -> entry.path().startsWith("/push/"));
        assertThat(calls).hasSize(20).allSatisfy(call -> {
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.fault()).isEqualTo(anomaly.wireName());
        });
        assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"))
                .isZero();
        assertThat(
                        herald.count(
                                "SELECT count(*) FROM dead_letters WHERE error_class = 'unknown-outcome' AND http_status = 200"))
                .isEqualTo(20);
        assertThat(herald.strings("SELECT DISTINCT error_class FROM attempts")).containsExactly("unknown-outcome");
        System.out.printf(
                "%s: 20 pushes answered 200, 20 dead-lettered unknown-outcome, 0 succeeded; last error: %s%n",
                anomaly, herald.string("SELECT last_error FROM commands WHERE command_id = 'odd-0'"));
    }

    /** A refresh only reads: answered 200 with the anomaly twice, it is retried and succeeds on OneAll's real answer. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Anomaly.class,
            names = {"HTML_PAGE", "ERROR_FLAG"})
    void a_refresh_answered_200_without_a_successful_envelope_is_retried(Anomaly anomaly) {
        var user = token();
        herald.startWorker();
        herald.send(Commands.publishForUser("to-read", user, "facebook"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("to-read")));
        var message = herald.string("SELECT sharing_message_token FROM sharing_messages WHERE command_id = 'to-read'");
        herald.sandbox()
                .setFaults(Faults.NONE.withRule(
                        FaultRule.answerWith(message, anomaly).onlyFirst(2)));

        herald.send(Commands.refresh("read-it", message));
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("read-it")));

        var reads = herald.sandbox()
                .journal()
                .entries(entry -> entry.method().equals("GET") && message.equals(entry.token()));
        assertThat(reads)
                .extracting(Journal.Entry::fault)
                .containsExactly(anomaly.wireName(), anomaly.wireName(), null);
        assertThat(reads).extracting(Journal.Entry::status).containsExactly(200, 200, 200);
        assertThat(
                        herald.strings(
                                "SELECT coalesce(error_class, '-') FROM attempts WHERE command_id = 'read-it' ORDER BY attempt"))
                .containsExactly("transient", "transient", "-");
    }

    /**
     * Two publishes answered 200 with a proxy's page and with {@code status.flag = error} (neither made a message): not
     * succeeded on that answer; listing the site's messages shows no message, so each is sent again, once, and succeeds.
     */
    @Test
    void a_publish_answered_200_without_a_successful_envelope_is_read_back_and_sent_again_once() {
        var proxied = token();
        var flagged = token();
        herald.sandbox()
                .setFaults(Faults.NONE
                        .withRule(
                                FaultRule.answerWith(proxied, Anomaly.HTML_PAGE).onlyFirst(1))
                        .withRule(FaultRule.answerWith(flagged, Anomaly.ERROR_FLAG)
                                .onlyFirst(1)));
        herald.startWorker();
        herald.send(
                Commands.publishForUser("proxied", proxied, "facebook"),
                Commands.publishForUser("flagged", flagged, "facebook"));

        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        "succeeded".equals(herald.status("proxied")) && "succeeded".equals(herald.status("flagged")));

        for (var user : List.of(proxied, flagged)) {
            var posts = herald.sandbox().journal().forToken(user).stream()
                    .filter(entry -> entry.method().equals("POST"))
                    .toList();
            assertThat(posts)
                    .extracting(Journal.Entry::path)
                    .containsExactly("/sharing/messages.json", "/sharing/messages.json");
            assertThat(posts).extracting(Journal.Entry::effect).containsExactly(false, true);
        }
        assertThat(
                        herald.strings(
                                "SELECT coalesce(error_class, '-') FROM attempts WHERE command_id = 'proxied' ORDER BY attempt"))
                .containsExactly("unknown-outcome", "-");
        assertThat(herald.count("SELECT count(*) FROM sharing_messages")).isEqualTo(2);
    }

    /**
     * A publish answered without {@code sharing_message_token} made its message (the sandbox carried it out): not
     * succeeded on that answer; the lost publish is settled by listing the site's messages once the call's timeout
     * has passed, which finds the one message.
     */
    @Test
    void a_publish_answered_without_its_message_token_is_settled_by_listing_and_published_once() {
        var user = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.answerWith(user, Anomaly.MISSING_MESSAGE_TOKEN)));
        herald.startWorker();
        herald.send(Commands.publishForUser("tokenless", user, "facebook", "twitter"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !herald.sandbox().journal().forToken(user).isEmpty());
        long answered = System.nanoTime();
        await().during(Duration.ofSeconds(8))
                .atMost(Duration.ofSeconds(10))
                .until(() -> !"succeeded".equals(herald.status("tokenless")));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> List.of("succeeded", "partial", "dead_lettered").contains(herald.status("tokenless")));
        double settledAfter = (System.nanoTime() - answered) / 1e9;

        var posts = herald.sandbox().journal().entries(entry -> entry.method().equals("POST"));
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).fault()).isEqualTo("missing_message_token");
        assertThat(herald.sandbox()
                        .journal()
                        .entries(entry ->
                                entry.method().equals("GET") && entry.path().startsWith("/sharing/messages.json")))
                .as("listings of the site's messages")
                .isNotEmpty();
        assertThat(herald.status("tokenless")).isEqualTo("succeeded");
        assertThat(herald.strings("SELECT error_class FROM attempts WHERE command_id = 'tokenless'"))
                .containsExactly("unknown-outcome");
        assertThat(herald.count("SELECT count(*) FROM sharing_messages WHERE command_id = 'tokenless'"))
                .isEqualTo(1);
        System.out.printf(
                "publish without a message token: 1 POST, settled by listing after %.1f s as %s (%s)%n",
                settledAfter,
                herald.status("tokenless"),
                herald.string("SELECT last_error FROM commands WHERE command_id = 'tokenless'"));
    }

    /**
     * A campaign's publisher whose publish is answered without the message token: the role does not pass to the next
     * recipient (that would publish a second message); the publish is settled by listing and the others re-publish.
     */
    @Test
    void a_campaign_publisher_answered_without_the_message_token_does_not_make_the_next_recipient_publish() {
        var users = IntStream.range(0, 20).mapToObj(i -> token()).toList();
        herald.sandbox()
                .setFaults(Faults.NONE.withRule(FaultRule.answerWith(users.get(0), Anomaly.MISSING_MESSAGE_TOKEN)));
        herald.startWorker();
        herald.send(Commands.campaign("tokenless-part-1", "tokenless", 0, users, "No token"));

        await().atMost(Duration.ofSeconds(90)).until(() -> herald.count("""
                SELECT count(*) FROM commands WHERE campaign_id = 'tokenless' AND type IN ('publish', 'republish')
                   AND status IN ('succeeded', 'partial', 'dead_lettered')""") == users.size());

        var posts = herald.sandbox().journal().entries(entry -> entry.method().equals("POST"));
        var publishes = posts.stream()
                .filter(entry -> entry.path().equals("/sharing/messages.json"))
                .toList();
        assertThat(publishes).as("publishes of the campaign's message").hasSize(1);
        assertThat(publishes.get(0).target()).isEqualTo(users.get(0));
        assertThat(posts).hasSize(users.size());
        assertThat(herald.string("SELECT type FROM commands WHERE command_id = 'tokenless:1'"))
                .isEqualTo("republish");
        assertThat(herald.count("SELECT count(*) FROM commands WHERE campaign_id = 'tokenless' AND status = 'succeeded'"
                        + " AND type IN ('publish', 'republish')"))
                .isEqualTo(users.size());
        assertThat(herald.count("SELECT count(DISTINCT sharing_message_token) FROM publications"))
                .isEqualTo(1);
        System.out.printf(
                "campaign whose publish lost its token: %d POST /sharing/messages.json, %d re-publishes, publisher %s%n",
                publishes.size(), posts.size() - publishes.size(), herald.status("tokenless:0"));
    }

    /**
     * Twenty pushes whose answers hold a NUL in {@code post_id}, then 200 ordinary pushes: all 220 end within 60 s, the
     * 20 succeeded with the post id without its NUL and the raw answer kept in their attempt.
     */
    @Test
    void answers_with_a_nul_character_are_recorded_and_the_commands_after_them_succeed() throws Exception {
        var nulIdentities = IntStream.range(0, 5).mapToObj(i -> token()).toList();
        var faults = Faults.NONE;
        for (var identity : nulIdentities) {
            faults = faults.withRule(FaultRule.answerWith(identity, Anomaly.NUL_CHARACTER));
        }
        herald.sandbox().setFaults(faults);
        herald.startWorker();
        var ordinary = IntStream.range(0, 20).mapToObj(i -> token()).toList();
        var pushes = new ArrayList<String>();
        IntStream.range(0, 20)
                .forEach(i -> pushes.add(aPush().withId("nul-" + i)
                        .forIdentity(nulIdentities.get(i % 5))
                        .json()));
        IntStream.range(0, 200)
                .forEach(i -> pushes.add(aPush().withId("plain-" + i)
                        .forIdentity(ordinary.get(i % 20))
                        .json()));
        long started = System.nanoTime();
        herald.sendAll(pushes);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE status IN"
                                + " ('succeeded', 'partial', 'dead_lettered')")
                        == 220);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(herald.count(
                        "SELECT count(*) FROM commands WHERE command_id LIKE 'plain-%' AND status = 'succeeded'"))
                .isEqualTo(200);
        assertThat(herald.count("SELECT count(*) FROM commands WHERE command_id LIKE 'nul-%' AND status = 'succeeded'"))
                .isEqualTo(20);
        assertThat(herald.sandbox().journal().entries(entry -> "nul_character".equals(entry.fault())))
                .hasSize(20);
        for (int i = 0; i < 20; i++) {
            var stored = herald.string("SELECT result ->> 'post_id' FROM commands WHERE command_id = ?", "nul-" + i);
            var raw = rawAnswer("nul-" + i);
            var answered = MAPPER.readTree(raw)
                    .path("response")
                    .path("result")
                    .path("data")
                    .path("post_id")
                    .asText();
            assertThat(answered).contains("\u0000");
            assertThat(stored).isEqualTo(answered.replace("\u0000", "")).isNotEmpty();
        }
        assertThat(
                        herald.count(
                                "SELECT count(*) FROM commands WHERE command_id LIKE 'plain-%' AND attempt_log -> 0 ->> 'raw_answer_base64' IS NOT NULL"))
                .as("ordinary answers are not kept raw")
                .isZero();
        System.out.printf(
                "20 answers with a NUL then 200 ordinary pushes: all 220 ended in %.1f s (bound 60 s), 220 succeeded%n",
                seconds);
    }

    /** A post id of 10,000 characters: the command succeeds with the id cut to 2,000 characters, the whole answer kept raw. */
    @Test
    void an_answer_with_a_ten_thousand_character_post_id_is_recorded() throws Exception {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.answerWith(identity, Anomaly.LONG_POST_ID)));
        herald.startWorker();
        herald.sendAll(IntStream.range(0, 5)
                .mapToObj(i -> aPush().withId("long-" + i).forIdentity(identity).json())
                .toList());
        herald.send(aPush().withId("after-long").json());

        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'") == 6);

        for (int i = 0; i < 5; i++) {
            var stored = herald.string("SELECT result ->> 'post_id' FROM commands WHERE command_id = ?", "long-" + i);
            var answered = MAPPER.readTree(rawAnswer("long-" + i))
                    .path("response")
                    .path("result")
                    .path("data")
                    .path("post_id")
                    .asText();
            assertThat(answered).hasSize(Anomaly.LONG_POST_ID_LENGTH);
            assertThat(stored)
                    .hasSize(io.herald.command.api.Sanitizer.MAX_TEXT)
                    .isEqualTo(answered.substring(0, io.herald.command.api.Sanitizer.MAX_TEXT));
        }
        assertThat(herald.string("SELECT post_id FROM push_results WHERE command_id = 'long-0'"))
                .hasSize(io.herald.command.api.Sanitizer.MAX_TEXT);
        System.out.printf(
                "5 post ids of %d characters: succeeded, stored cut to %d, raw answers kept%n",
                Anomaly.LONG_POST_ID_LENGTH, io.herald.command.api.Sanitizer.MAX_TEXT);
    }

    private byte[] rawAnswer(String commandId) {
        var encoded = herald.string(
                "SELECT attempt_log -> 0 ->> 'raw_answer_base64' FROM commands WHERE command_id = ?", commandId);
        assertThat(encoded).as("the raw answer kept in %s's attempt", commandId).isNotNull();
        return Base64.getDecoder().decode(encoded);
    }
}
