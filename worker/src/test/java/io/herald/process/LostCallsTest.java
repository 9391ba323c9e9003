package io.herald.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.command.LostCall;
import io.herald.command.OtherCommands;
import io.herald.command.ReadBackVerdict;
import io.herald.command.Timer;
import io.herald.command.api.Call;
import io.herald.command.api.CallResult;
import io.herald.config.RateLimits;
import io.herald.observe.Metrics;
import io.herald.oneall.OneAll;
import io.herald.schema.Command;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A lost publish whose listing fails half way is undecided: the pages read could not show it, so it is not sent again. */
class LostCallsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USER = "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8";
    private static final Instant CLAIM = Instant.now().minusSeconds(60);

    /** A ledger that records nothing of other commands. */
    static final LostCalls.Ledgered NOTHING_RECORDED =
            (commandId, target, tokens, from) -> CompletableFuture.completedFuture(OtherCommands.NONE);

    private final List<String> paths = new ArrayList<>();

    private static Command.Publish publish() {
        var json = MAPPER.createObjectNode().put("command_id", "c").put("type", "publish");
        var message = json.putObject("sharing_message");
        message.putObject("parts").putObject("text").put("body", "Hi all");
        message.putObject("publish_for_user")
                .put("user_token", USER)
                .putArray("providers")
                .add("facebook");
        return (Command.Publish) ((Validation.Valid) new CommandReader().read(json.toString())).command();
    }

    /** Page 1 lists 100 messages made since the claim (of 300); page 2 fails; each message read is another's. */
    private CallResult answer(Call call) {
        paths.add(call.path());
        if (call.path().startsWith("/sharing/messages.json?page=2")) {
            return new CallResult.Answered(502, "error", "Bad gateway", null, Optional.empty());
        }
        var data = MAPPER.createObjectNode();
        if (call.path().startsWith("/sharing/messages.json?page=1")) {
            var entries = firstListingPage(data, 3, 300);
            for (int i = 0; i < 100; i++) {
                entries.addObject()
                        .put("sharing_message_token", "m" + i)
                        .put(
                                "date_creation",
                                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                        CLAIM.plusSeconds(20 - i / 10).atOffset(ZoneOffset.UTC)));
            }
        } else {
            var message = data.putObject("sharing_message").put("sharing_message_token", "x");
            message.putObject("parts").putObject("text").put("body", "Someone else's message");
            message.putArray("publications")
                    .addObject()
                    .put("provider", "facebook")
                    .put("user_token", USER);
        }
        return new CallResult.Answered(200, "success", null, data, Optional.empty());
    }

    /** A listing's first page of 100 entries, of {@code totalPages} and {@code totalEntries}; returns its entries. */
    private static ArrayNode firstListingPage(ObjectNode data, int totalPages, int totalEntries) {
        var list = data.putObject("sharing_messages");
        list.putObject("pagination")
                .put("current_page", 1)
                .put("total_pages", totalPages)
                .put("entries_per_page", 100)
                .put("total_entries", totalEntries);
        return list.putArray("entries");
    }

    /** What reading back the lost publish comes to, OneAll answering as {@code answers} says and the ledger as given. */
    private static ReadBackVerdict settled(Function<Call, CallResult> answers, LostCalls.Ledgered ledgered)
            throws Exception {
        Timer timer = (delay, task) -> task.run();
        OneAll oneall = (call, claimedNanos) -> CompletableFuture.completedFuture(answers.apply(call));
        var slots = new CallSlots(2, RateLimits.NONE, Duration.ofHours(1), Duration.ofMinutes(1), timer, new Metrics());
        return new LostCalls(oneall, slots, timer, Duration.ofSeconds(30), ledgered)
                .settle(publish(), new LostCall(1, CLAIM, LostCall.Kind.PUBLISH, null))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void a_listing_page_that_fails_half_way_leaves_a_lost_publish_undecided() throws Exception {
        var verdict = settled(this::answer, NOTHING_RECORDED);

        assertThat(verdict).isInstanceOf(ReadBackVerdict.Undecided.class);
        assertThat(((ReadBackVerdict.Undecided) verdict).reason()).contains("page 2");
        assertThat(paths.stream().filter(path -> path.startsWith("/sharing/messages.json?page=2")))
                .as("the failing page was tried three times")
                .hasSize(3);
        assertThat(paths).noneMatch(path -> path.equals("/sharing/messages.json"));
    }

    /** The site lists one message made since the claim (and one long before it); read, it has the command's parts. */
    private CallResult oneMatch(Call call) {
        paths.add(call.path());
        var data = MAPPER.createObjectNode();
        if (call.path().startsWith("/sharing/messages.json?page=1")) {
            var entries = firstListingPage(data, 1, 2);
            for (var entry : List.of(List.of("made", CLAIM.plusSeconds(5)), List.of("old", CLAIM.minusSeconds(3600)))) {
                entries.addObject()
                        .put("sharing_message_token", (String) entry.get(0))
                        .put(
                                "date_creation",
                                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                        ((Instant) entry.get(1)).atOffset(ZoneOffset.UTC)));
            }
        } else {
            var message = data.putObject("sharing_message").put("sharing_message_token", "made");
            message.putObject("parts").putObject("text").put("body", "Hi all");
            message.putArray("publications")
                    .addObject()
                    .put("provider", "facebook")
                    .put("user_token", USER)
                    .putObject("status")
                    .put("flag", "success")
                    .put("code", 200);
        }
        return new CallResult.Answered(200, "success", null, data, Optional.empty());
    }

    private ReadBackVerdict settledWith(LostCalls.Ledgered ledgered) throws Exception {
        return settled(this::oneMatch, ledgered);
    }

    @Test
    void the_ledger_is_asked_once_the_candidates_were_read_and_a_match_it_records_as_another_commands_is_not_taken()
            throws Exception {
        var asked = new ArrayList<String>();
        var verdict = settledWith((commandId, target, tokens, from) -> {
            asked.add(commandId + " " + target + " " + tokens + " after " + paths);
            return CompletableFuture.completedFuture(new OtherCommands(java.util.Map.of("made", "first"), List.of()));
        });

        assertThat(asked)
                .singleElement()
                .asString()
                .startsWith("c " + USER + " [made] after")
                .contains("/sharing/messages/made.json");
        assertThat(verdict).isInstanceOf(ReadBackVerdict.NoEffect.class);
        assertThat(settledWith(NOTHING_RECORDED))
                .as("the same read with nothing recorded of other commands")
                .isInstanceOf(ReadBackVerdict.TookEffect.class);
    }

    @Test
    void a_ledger_that_cannot_be_read_leaves_a_found_match_undecided() throws Exception {
        var verdict = settledWith((commandId, target, tokens, from) ->
                CompletableFuture.failedFuture(new IllegalStateException("the database is down")));

        assertThat(verdict).isInstanceOf(ReadBackVerdict.Undecided.class);
        assertThat(((ReadBackVerdict.Undecided) verdict).reason())
                .contains("ledger could not be read")
                .contains("the database is down");
    }
}
