package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.delete;
import static io.herald.testing.Commands.publishForIdentity;
import static io.herald.testing.Commands.publishForUser;
import static io.herald.testing.Commands.republish;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.MessageListing;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.sandbox.OneAllSandbox;
import io.herald.testing.SandboxMessages;
import io.herald.testing.WorkerHarness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: a call whose answer is lost (the sandbox carries it out and never answers, past HERALD_ONEALL_TIMEOUT_MS)
 * is settled by reading OneAll back where OneAll allows it, and never sent twice: a delete by reading its message (404),
 * a re-publish by reading its message's publications, a publish by listing the site's messages; a push, which cannot be
 * read back, stays an unknown outcome. The four are lost together, on one worker, and each is judged on its own.
 * Read-backs cannot be fooled: a publish of 3,000 characters answered 504 after the sandbox made it is found, though
 * the text Herald records of a read is cut at 2,000; and once 500 messages newer than a lost publish's window hide
 * it from the pages read, the verdict is unknown, never "no effect" and a second post. Nor does a lost publish take
 * another command's identical message for its own.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String LONG_TEXT =
            "Herald's long announcement: caf\u00e9s & d\u00e9j\u00e0-vu, line after line.\n".repeat(50);

    private final ShiftedClock sandboxClock = new ShiftedClock();
    private final WorkerHarness herald = new WorkerHarness(
            OneAllSandbox.builder().eventLoops(1).clock(sandboxClock).start());
    private final String longPublishedFor = token();
    private final String crowdedFor = token();
    private final String republishedFor = token();
    private final String publishedFor = token();
    private final String pushedFor = token();
    private final String repeatedFor = token();
    private String deletedMessage;
    private String republishedMessage;

    @BeforeAll
    void loseFourCalls() {
        herald.startWorker();
        herald.send(
                publishForIdentity("to-delete", token()),
                publishForIdentity("to-republish", token()),
                publishForIdentity("repeated-first", repeatedFor));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "succeeded".equals(herald.status("to-delete"))
                        && "succeeded".equals(herald.status("to-republish"))
                        && "succeeded".equals(herald.status("repeated-first")));
        deletedMessage =
                herald.string("SELECT sharing_message_token FROM sharing_messages WHERE command_id = 'to-delete'");
        republishedMessage =
                herald.string("SELECT sharing_message_token FROM sharing_messages WHERE command_id = 'to-republish'");
        herald.sandbox()
                .setFaults(Faults.NONE
                        .withRule(FaultRule.hang(deletedMessage).onlyFirst(1))
                        .withRule(FaultRule.hang(republishedMessage).onlyFirst(1))
                        .withRule(FaultRule.hang(publishedFor).onlyFirst(1))
                        .withRule(FaultRule.hang(pushedFor).onlyFirst(1))
                        .withRule(
                                FaultRule.failAfterEffect(longPublishedFor, 504).onlyFirst(1))
                        .withRule(FaultRule.failAlways(crowdedFor, 504).onlyFirst(1))
                        .withRule(FaultRule.failAlways(repeatedFor, 504).onlyFirst(1)));

        herald.send(
                delete("lost-delete", deletedMessage),
                republish("lost-republish", republishedMessage, republishedFor),
                publishForUser("lost-publish", publishedFor, "facebook"),
                aPush().withId("lost-push").forIdentity(pushedFor).json(),
                longPublish("long-publish", longPublishedFor),
                publishForIdentity("repeated-second", repeatedFor));
    }

    /** A publish of about 3,000 characters (accents, an ampersand, line ends) for a user's Facebook account. */
    private static String longPublish(String commandId, String userToken) {
        var json = MAPPER.createObjectNode().put("command_id", commandId).put("type", "publish");
        var message = json.putObject("sharing_message");
        message.putObject("parts").putObject("text").put("body", LONG_TEXT);
        message.putObject("publish_for_user")
                .put("user_token", userToken)
                .putArray("providers")
                .add("facebook");
        return json.toString();
    }

    /** The system clock moved by what the test says: the sandbox's dates follow it. */
    private static final class ShiftedClock extends Clock {
        private volatile Duration shift = Duration.ZERO;

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @AfterAll
    void stop() {
        herald.close();
    }

    private void awaitEnded(String commandId) {
        await().atMost(Duration.ofSeconds(90))
                .until(() -> List.of("succeeded", "partial", "dead_lettered").contains(herald.status(commandId)));
    }

    /** The calls the sandbox received about a token, as {@code METHOD status} in order, printed with the command they settle. */
    private List<String> calls(String commandId, String token) {
        var calls = herald.sandbox().journal().forToken(token).stream()
                .map(e -> e.method() + " " + e.status())
                .toList();
        System.out.printf("[herald-test] %s: %d call(s) about %s: %s%n", commandId, calls.size(), token, calls);
        return calls;
    }

    /** The publishes (POST /sharing/messages.json) OneAll's journal has for {@code target}. */
    private List<Journal.Entry> publishes(String target) {
        return herald.sandbox()
                .journal()
                .entries(e -> e.method().equals("POST")
                        && e.path().equals("/sharing/messages.json")
                        && target.equals(e.target()));
    }

    /** Each publish as its status, and whether OneAll made the message. */
    private static List<String> made(List<Journal.Entry> posts) {
        return posts.stream()
                .map(e -> e.status() + (e.effect() ? " made" : " not made"))
                .toList();
    }

    private long sent(String token, String method, String path) {
        return herald.sandbox()
                .journal()
                .entries(e -> e.method().equals(method)
                        && e.path().startsWith(path)
                        && (token.equals(e.token()) || token.equals(e.target())))
                .size();
    }

    @Test
    void a_lost_delete_is_settled_by_a_read_that_answers_404_and_is_not_sent_again() {
        awaitEnded("lost-delete");

        assertThat(herald.status("lost-delete")).isEqualTo("succeeded");
        assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = 'lost-delete'"))
                .isEqualTo(1);
        assertThat(calls("lost-delete", deletedMessage))
                .startsWith("DELETE 0")
                .contains("GET 404")
                .filteredOn(c -> c.startsWith("DELETE"))
                .as("the delete is not sent again")
                .hasSize(1);
        assertThat(herald.string(
                        "SELECT deleted_at IS NOT NULL FROM sharing_messages WHERE sharing_message_token = ?",
                        deletedMessage))
                .isEqualTo("t");
    }

    @Test
    void a_re_publish_that_timed_out_on_a_live_worker_is_settled_by_reading_its_message_back_and_is_not_sent_again() {
        awaitEnded("lost-republish");

        assertThat(herald.status("lost-republish")).isEqualTo("succeeded");
        assertThat(sent(republishedMessage, "POST", "/sharing/messages/"))
                .as("one re-publish")
                .isEqualTo(1);
        assertThat(calls("lost-republish", republishedMessage)).contains("GET 200");
        assertThat(herald.count(
                        "SELECT count(*) FROM publications WHERE sharing_message_token = ? AND identity_token = ?",
                        republishedMessage,
                        republishedFor))
                .as("the publication the read found is recorded")
                .isEqualTo(1);
    }

    @Test
    void a_lost_publish_is_found_by_listing_the_sites_messages_and_recorded_with_its_message_not_published_again() {
        awaitEnded("lost-publish");

        assertThat(herald.status("lost-publish")).isEqualTo("succeeded");
        assertThat(calls("lost-publish", publishedFor)).as("one publish").hasSize(1);
        var listed = herald.sandbox()
                .journal()
                .entries(e -> e.method().equals("GET") && e.path().startsWith("/sharing/messages.json?"));
        assertThat(listed).as("the site's messages were listed").isNotEmpty();
        var created = publishes(publishedFor);
        var recorded =
                herald.string("SELECT sharing_message_token FROM sharing_messages WHERE command_id = 'lost-publish'");
        assertThat(recorded).as("the message token is recorded").isNotNull();
        assertThat(
                        herald.string(
                                "SELECT result -> 'sharing_message' ->> 'sharing_message_token' FROM commands WHERE command_id = 'lost-publish'"))
                .isEqualTo(recorded);
        assertThat(herald.sandbox().journal().forToken(recorded).stream()
                        .map(Journal.Entry::method)
                        .collect(Collectors.toSet()))
                .as("the candidate was read")
                .containsOnly("GET");
        assertThat(created).hasSize(1);
    }

    @Test
    void a_lost_push_which_cannot_be_read_back_stays_an_unknown_outcome_and_is_not_sent_again() {
        awaitEnded("lost-push");

        assertThat(herald.status("lost-push")).isEqualTo("dead_lettered");
        assertThat(herald.strings("SELECT error_class FROM dead_letters WHERE command_id = 'lost-push'"))
                .containsExactly("unknown-outcome");
        assertThat(herald.string("SELECT error FROM dead_letters WHERE command_id = 'lost-push'"))
                .contains("no way to read a push back");
        assertThat(calls("lost-push", pushedFor)).hasSize(1);
    }

    @Test
    void a_lost_publish_of_3000_characters_answered_504_is_found_by_reading_it_back_and_not_published_again() {
        awaitEnded("long-publish");

        var posts = publishes(longPublishedFor);
        System.out.printf(
                "[herald-test] long-publish: %d publish(es), %s; %s%n",
                posts.size(),
                made(posts),
                herald.string("SELECT last_error FROM commands WHERE command_id = 'long-publish'"));
        assertThat(LONG_TEXT).hasSizeGreaterThan(3_000);
        assertThat(posts).as("published once, answered 504 after it was made").hasSize(1);
        assertThat(posts.get(0).status()).isEqualTo(504);
        assertThat(posts.get(0).effect()).isTrue();
        assertThat(herald.status("long-publish")).isEqualTo("succeeded");
        assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = 'long-publish'"))
                .isEqualTo(1);
        var recorded =
                herald.string("SELECT sharing_message_token FROM sharing_messages WHERE command_id = 'long-publish'");
        assertThat(recorded).as("the message found is recorded").isNotNull();
        assertThat(herald.sandbox().journal().forToken(recorded).stream()
                        .map(Journal.Entry::method)
                        .collect(Collectors.toSet()))
                .as("the message found is the one read back")
                .containsOnly("GET");
        assertThat(new SandboxMessages(herald.sandbox()).successes(recorded, longPublishedFor, "facebook"))
                .isEqualTo(1);
    }

    /**
     * Two commands publish the same message to the same identity (a producer that sends it twice under two ids). The
     * first is made and recorded; the second's call is answered 504 before it is made. Its read-back finds the first's
     * message, which has its parts and target, but the ledger records it as the first's: it is left aside, nothing in
     * the complete view is the second's, so the second is sent again and made once. From the journal and the ledger:
     * no fake success (a command recorded with a message it did not make), no duplicate (a command made twice).
     */
    @Test
    void a_lost_publish_never_takes_the_identical_message_another_command_made_for_its_own() {
        awaitEnded("repeated-second");
        var posts = publishes(repeatedFor);
        var first = herald.string(
                "SELECT result -> 'sharing_message' ->> 'sharing_message_token' FROM commands WHERE command_id = 'repeated-first'");
        var second = herald.string(
                "SELECT result -> 'sharing_message' ->> 'sharing_message_token' FROM commands WHERE command_id = 'repeated-second'");
        System.out.printf(
                "[herald-test] repeated publish: %s; first %s, second %s (%s)%n",
                made(posts),
                first,
                second,
                herald.string("SELECT last_error FROM commands WHERE command_id = 'repeated-second'"));
        assertThat(herald.status("repeated-first")).isEqualTo("succeeded");
        assertThat(herald.status("repeated-second")).isEqualTo("succeeded");
        assertThat(posts)
                .as("the first, the second answered 504 unmade, the second again")
                .hasSize(3);
        assertThat(posts.get(1).status()).isEqualTo(504);
        assertThat(posts.stream().filter(Journal.Entry::effect))
                .as("made once per command: none doubled")
                .hasSize(2);
        assertThat(second)
                .as("the second is recorded with its own message, not the first's (a fake success)")
                .isNotNull()
                .isNotEqualTo(first);
        assertThat(herald.count(
                        "SELECT count(DISTINCT command_id) FROM sharing_messages WHERE sharing_message_token IN (?, ?)",
                        first,
                        second))
                .as("each message is one command's")
                .isEqualTo(2);
        var sandbox = new SandboxMessages(herald.sandbox());
        assertThat(sandbox.publications(first))
                .as("the first's message was made")
                .isNotEmpty();
        assertThat(sandbox.publications(second))
                .as("the second's message was made")
                .isNotEmpty();
    }

    /**
     * A read-back made after the site got busy: 500 messages dated past the lost publish's window (the sandbox's clock
     * moved ten minutes on while they were made) fill the five pages Herald reads. The publish was answered 504 and
     * not made; the pages read cannot show it, so the verdict is unknown, and it is not sent again.
     */
    @Test
    void a_lost_publish_hidden_past_the_pages_read_is_an_unknown_outcome_never_sent_again() {
        for (var commandId : List.of(
                "lost-delete", "lost-republish", "lost-publish", "lost-push", "long-publish", "repeated-second")) {
            awaitEnded(commandId);
        }
        sandboxClock.shift = Duration.ofMinutes(10);
        try {
            new SandboxMessages(herald.sandbox()).publishMany(token(), 510);
        } finally {
            sandboxClock.shift = Duration.ZERO;
        }
        herald.send(publishForUser("crowded-publish", crowdedFor, "facebook"));

        awaitEnded("crowded-publish");
        var posts = publishes(crowdedFor);
        var pages = herald.sandbox()
                .journal()
                .entries(e -> e.method().equals("GET")
                        && e.path().startsWith("/sharing/messages.json?")
                        && e.at().isAfter(posts.get(0).at()));
        var error = herald.string("SELECT error FROM dead_letters WHERE command_id = 'crowded-publish'");
        System.out.printf(
                "[herald-test] crowded-publish: %d publish(es), %d page(s) listed; %s%n",
                posts.size(), pages.size(), error);
        assertThat(posts).as("one publish, never a second").hasSize(1);
        assertThat(posts.get(0).effect()).isFalse();
        assertThat(herald.status("crowded-publish")).isEqualTo("dead_lettered");
        assertThat(herald.strings("SELECT error_class FROM dead_letters WHERE command_id = 'crowded-publish'"))
                .containsExactly("unknown-outcome");
        assertThat(error).contains("do not reach back to the claim");
        assertThat(pages).as("five pages listed").hasSize(MessageListing.MAX_PAGES);
    }
}
