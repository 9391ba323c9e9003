package io.herald.failures;

import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.sandbox.RepublishAnswer;
import io.herald.testing.Commands;
import io.herald.testing.SandboxMessages;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantee: however OneAll answers a re-publish (the whole message with every publication so far, or only the new
 * ones), each provider of a publish gets the message exactly once, and only the command's own target's publications
 * count for it.
 */
@Timeout(180)
class RepublishShapesIT {
    private static final List<String> PROVIDERS = List.of("facebook", "twitter", "linkedin");

    private final WorkerHarness herald = new WorkerHarness();
    private final SandboxMessages messages = new SandboxMessages(herald.sandbox());

    @AfterEach
    void stop() {
        herald.close();
    }

    /**
     * Three users whose twitter and linkedin publications fail (503) on the first two calls, and three whose twitter
     * fails once and linkedin twice (the second answer then holds twitter's old failure and its new success): each
     * publish makes three calls, never re-publishes to a provider that has the message, and ends succeeded.
     */
    @ParameterizedTest(name = "re-publish answered with {0}")
    @EnumSource(RepublishAnswer.class)
    void a_twice_partial_publish_posts_each_provider_exactly_once(RepublishAnswer shape) {
        var bothTwice = IntStream.range(0, 3).mapToObj(i -> token()).toList();
        var staggered = IntStream.range(0, 3).mapToObj(i -> token()).toList();
        var faults = Faults.NONE.withRepublishAnswer(shape);
        for (var user : bothTwice) {
            faults = faults.withRule(
                            FaultRule.failProvider(user, "twitter", 503).onlyFirst(2))
                    .withRule(FaultRule.failProvider(user, "linkedin", 503).onlyFirst(2));
        }
        for (var user : staggered) {
            faults = faults.withRule(
                            FaultRule.failProvider(user, "twitter", 503).onlyFirst(1))
                    .withRule(FaultRule.failProvider(user, "linkedin", 503).onlyFirst(2));
        }
        herald.sandbox().setFaults(faults);
        herald.startWorker();
        var users = new ArrayList<>(bothTwice);
        users.addAll(staggered);
        long listedTotal = 0;
        long recordedTotal = 0;
        herald.send(users.stream()
                .map(user -> Commands.publishForUser("twice-" + user, user, "facebook", "twitter", "linkedin"))
                .toArray(String[]::new));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(users)
                        .allSatisfy(user -> assertThat(herald.status("twice-" + user))
                                .isIn("succeeded", "partial", "dead_lettered")));

        for (var user : users) {
            var commandId = "twice-" + user;
            var calls = herald.sandbox().journal().forToken(user).stream()
                    .filter(call -> call.method().equals("POST"))
                    .toList();
            var expectedProviders = bothTwice.contains(user)
                    ? List.of("[\"twitter\",\"linkedin\"]", "[\"twitter\",\"linkedin\"]")
                    : List.of("[\"twitter\",\"linkedin\"]", "[\"linkedin\"]");
            assertThat(herald.status(commandId)).as(commandId).isEqualTo("succeeded");
            assertThat(calls).as("calls for %s", user).hasSize(3);
            assertThat(calls.get(0).path()).isEqualTo("/sharing/messages.json");
            for (int i = 1; i < 3; i++) {
                assertThat(calls.get(i).path()).matches("/sharing/messages/[0-9a-f-]{36}\\.json");
                assertThat(calls.get(i).excerpt())
                        .as("re-publish %d of %s", i, user)
                        .contains("\"providers\":" + expectedProviders.get(i - 1));
            }
            assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = ?", commandId))
                    .isEqualTo(3);
            assertThat(herald.strings(
                            "SELECT http_status FROM attempts WHERE command_id = ? ORDER BY attempt", commandId))
                    .containsExactly("207", bothTwice.contains(user) ? "503" : "207", "200");

            var token =
                    herald.string("SELECT sharing_message_token FROM sharing_messages WHERE command_id = ?", commandId);
            assertThat(herald.count("SELECT count(*) FROM sharing_messages WHERE command_id = ?", commandId))
                    .isEqualTo(1);
            for (var provider : PROVIDERS) {
                assertThat(messages.successes(token, user, provider))
                        .as("%s posts of %s on OneAll", provider, user)
                        .isEqualTo(1);
                assertThat(herald.count(
                                "SELECT count(*) FROM publications WHERE command_id = ? AND provider = ? AND status_flag = 'success'",
                                commandId,
                                provider))
                        .as("%s successes of %s in the ledger", provider, user)
                        .isEqualTo(1);
            }
            long listed = messages.publications(token).size();
            long recorded = herald.count("SELECT count(*) FROM publications WHERE sharing_message_token = ?", token);
            assertThat(recorded)
                    .as("publications recorded of the %d OneAll lists", listed)
                    .isBetween(4L, listed);
            listedTotal += listed;
            recordedTotal += recorded;
        }
        long calls = herald.sandbox()
                .journal()
                .entries(entry -> entry.method().equals("POST"))
                .size();
        System.out.printf(
                "twice-partial publishes, re-publish answered with %s: %d users, %d calls, every provider posted once;"
                        + " %d publications recorded of the %d OneAll lists%n",
                shape, users.size(), calls, recordedTotal, listedTotal);
    }

    /**
     * A campaign whose recipients publish to facebook and twitter, recipient 1's twitter refusing for good (403): the
     * re-publishes after it are answered with the whole message, recipient 1's failure in it, and still succeed at
     * their first call, recorded with their own publications only.
     */
    @Test
    void another_recipients_failure_in_a_whole_message_answer_is_not_counted_as_this_commands() {
        var users = IntStream.range(0, 12).mapToObj(i -> token()).toList();
        herald.sandbox()
                .setFaults(Faults.NONE
                        .withRepublishAnswer(RepublishAnswer.WHOLE_MESSAGE)
                        .withRule(FaultRule.failProvider(users.get(1), "twitter", 403)));
        herald.startWorker();
        herald.send(campaign("mixed", users));

        await().atMost(Duration.ofSeconds(60)).until(() -> herald.count("""
                SELECT count(*) FROM commands WHERE campaign_id = 'mixed' AND type IN ('publish', 'republish')
                   AND status IN ('succeeded', 'partial', 'dead_lettered')""") == users.size());

        assertThat(herald.status("mixed:1")).isEqualTo("partial");
        var journal = herald.sandbox().journal().entries(entry -> entry.method().equals("POST"));
        long failedAt = journal.stream()
                .filter(entry -> users.get(1).equals(entry.target()))
                .findFirst()
                .orElseThrow()
                .sequence();
        var after = journal.stream()
                .filter(entry -> entry.sequence() > failedAt)
                .map(Journal.Entry::target)
                .toList();
        assertThat(after)
                .as("re-publishes answered with recipient 1's failure in the message")
                .isNotEmpty();
        for (int i = 0; i < users.size(); i++) {
            var user = users.get(i);
            assertThat(journal.stream().filter(entry -> user.equals(entry.target())))
                    .as("calls for recipient %d", i)
                    .hasSize(1);
            if (i != 1) {
                assertThat(herald.status("mixed:" + i)).as("recipient %d", i).isEqualTo("succeeded");
                assertThat(herald.strings("""
                        SELECT DISTINCT p ->> 'user_token' FROM commands, jsonb_array_elements(result -> 'sharing_message' -> 'publications') p
                         WHERE command_id = ?""", "mixed:" + i))
                        .as("users in recipient %d's recorded result", i)
                        .containsExactly(user);
            }
        }
        assertThat(herald.strings("SELECT command_id FROM publications WHERE status_code = 403"))
                .containsExactly("mixed:1");
        assertThat(herald.count("SELECT count(*) FROM publications WHERE status_flag = 'success'"))
                .isEqualTo(2L * users.size() - 1);
        System.out.printf(
                "campaign of %d, recipient 1 partial: %d re-publishes answered with its failure in the message, each succeeded%n",
                users.size(), after.size());
    }

    private static String campaign(String campaignId, List<String> users) {
        var recipients = users.stream()
                .map(user -> "{\"user_token\":\"" + user + "\",\"providers\":[\"facebook\",\"twitter\"]}")
                .collect(Collectors.joining(","));
        return "{\"command_id\":\"" + campaignId + "-part-1\",\"type\":\"campaign\",\"campaign_id\":\"" + campaignId
                + "\",\"recipient_offset\":0,\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"Mixed https://example.com/mixed\"},"
                + "\"flags\":{\"enable_tracking\":1}}},\"recipients\":[" + recipients + "]}";
    }
}
