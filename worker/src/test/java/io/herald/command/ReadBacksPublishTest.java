package io.herald.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.command.api.CallResult;
import io.herald.command.api.Sanitizer;
import io.herald.schema.Command;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The verdict on a lost publish from the messages read back: found once, it took effect; "no effect" only on a
 * complete view where no message could be the command's; anything that could be, or a view that could miss it, is
 * undecided (unknown, never sent again).
 */
class ReadBacksPublishTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USER = "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8";
    private static final String OTHER_USER = "1b2c3d4e-3705-48a8-8ea6-e862ed86d5d8";
    private static final String LONG = "A long publish, said at length. ".repeat(95);
    private static final MessageListing.Next COMPLETE = new MessageListing.Next.Complete();
    private static final MessageListing.Next PARTIAL = new MessageListing.Next.Incomplete(
            "the 5 pages of the site's messages read do not reach back to the claim");

    private static Command.Publish publish(String text) {
        var json = MAPPER.createObjectNode().put("command_id", "c").put("type", "publish");
        var message = json.putObject("sharing_message");
        message.putObject("parts").putObject("text").put("body", text);
        message.putObject("publish_for_user")
                .put("user_token", USER)
                .putArray("providers")
                .add("facebook");
        return (Command.Publish) ((Validation.Valid) new CommandReader().read(json.toString())).command();
    }

    /** A read of a message as OneAllClient makes it: the data sanitised, the body kept as received when that changed it. */
    private static CallResult read(String token, String text, String user) {
        var envelope = MAPPER.createObjectNode();
        var message = envelope.putObject("response")
                .putObject("result")
                .putObject("data")
                .putObject("sharing_message")
                .put("sharing_message_token", token);
        message.putObject("parts").putObject("text").put("body", text);
        message.putArray("publications")
                .addObject()
                .put("provider", "facebook")
                .put("user_token", user)
                .putObject("status")
                .put("flag", "success")
                .put("code", 200);
        var data = envelope.path("response").path("result").path("data");
        var clean = Sanitizer.clean(data);
        return new CallResult.Answered(
                200,
                "success",
                null,
                clean,
                Optional.empty(),
                clean == data ? null : envelope.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String tokenOf(ReadBackVerdict verdict) {
        return ((ObjectNode) ((ReadBackVerdict.TookEffect) verdict).data())
                .path("sharing_message")
                .path("sharing_message_token")
                .asText();
    }

    @Test
    void a_short_publish_found_once_took_effect() {
        var verdict = ReadBacks.publish(
                publish("Hi all"),
                List.of(read("m1", "Bye", USER), read("m2", "Hi all", USER)),
                COMPLETE,
                OtherCommands.NONE);

        assertThat(tokenOf(verdict)).isEqualTo("m2");
    }

    @Test
    void a_short_publish_not_among_a_complete_view_had_no_effect() {
        var verdict = ReadBacks.publish(
                publish("Hi all"),
                List.of(read("m1", "Bye", USER), read("m2", "Hi all", OTHER_USER)),
                COMPLETE,
                OtherCommands.NONE);

        assertThat(verdict).isInstanceOf(ReadBackVerdict.NoEffect.class);
    }

    @Test
    void a_publish_of_3000_characters_is_found_though_the_sanitiser_cut_the_text_it_recorded() {
        var read = read("long", LONG, USER);
        assertThat(((CallResult.Answered) read)
                        .data()
                        .at("/sharing_message/parts/text/body")
                        .asText())
                .as("the recorded answer is cut")
                .hasSize(Sanitizer.MAX_TEXT);

        var verdict = ReadBacks.publish(publish(LONG), List.of(read), COMPLETE, OtherCommands.NONE);

        assertThat(tokenOf(verdict)).isEqualTo("long");
    }

    @Test
    void a_long_publish_shown_cut_short_is_undecided_never_no_effect() {
        var cut = new CallResult.Answered(
                200,
                "success",
                null,
                ((CallResult.Answered) read("cut", LONG.substring(0, Sanitizer.MAX_TEXT), USER)).data(),
                Optional.empty());

        var verdict = ReadBacks.publish(publish(LONG), List.of(cut), COMPLETE, OtherCommands.NONE);

        assertThat(verdict).isInstanceOf(ReadBackVerdict.Undecided.class);
    }

    @Test
    void nothing_found_on_a_partial_listing_is_undecided() {
        var verdict =
                ReadBacks.publish(publish("Hi all"), List.of(read("m1", "Bye", USER)), PARTIAL, OtherCommands.NONE);

        assertThat(verdict)
                .isEqualTo(new ReadBackVerdict.Undecided(((MessageListing.Next.Incomplete) PARTIAL).reason()));
    }

    @Test
    void a_candidate_that_could_not_be_read_leaves_it_undecided() {
        var verdict = ReadBacks.publish(
                publish("Hi all"),
                List.of(
                        read("m1", "Bye", USER),
                        new CallResult.Answered(200, "error", "odd", null, Optional.empty()),
                        new CallResult.MaybeSent("no answer within 15000 ms")),
                COMPLETE,
                OtherCommands.NONE);

        assertThat(verdict).isInstanceOf(ReadBackVerdict.Undecided.class);
    }

    @Test
    void two_identical_messages_for_the_target_cannot_be_told_apart() {
        var verdict = ReadBacks.publish(
                publish("Hi all"),
                List.of(read("m1", "Hi all", USER), read("m2", "Hi all", USER)),
                COMPLETE,
                OtherCommands.NONE);

        assertThat(verdict).isInstanceOf(ReadBackVerdict.Undecided.class);
    }

    private static OtherCommands owned(String token, String commandId) {
        return new OtherCommands(java.util.Map.of(token, commandId), List.of());
    }

    private static OtherCommands unsettled(String commandId, String text) {
        var parts = text == null ? null : MAPPER.createObjectNode();
        if (parts != null) {
            parts.putObject("text").put("body", text);
        }
        return new OtherCommands(java.util.Map.of(), List.of(new OtherCommands.Unsettled(commandId, parts)));
    }

    @Test
    void a_match_the_ledger_records_as_another_commands_message_is_not_taken() {
        var verdict = ReadBacks.publish(
                publish("Hi all"), List.of(read("m1", "Hi all", USER)), COMPLETE, owned("m1", "other"));

        assertThat(verdict).isInstanceOf(ReadBackVerdict.NoEffect.class);
    }

    @Test
    void a_match_owned_by_another_command_on_a_partial_view_is_undecided_not_no_effect() {
        var verdict = ReadBacks.publish(
                publish("Hi all"), List.of(read("m1", "Hi all", USER)), PARTIAL, owned("m1", "other"));

        assertThat(verdict).isInstanceOf(ReadBackVerdict.Undecided.class);
    }

    @Test
    void of_two_matches_one_owned_by_another_command_the_other_is_taken() {
        var verdict = ReadBacks.publish(
                publish("Hi all"),
                List.of(read("m1", "Hi all", USER), read("m2", "Hi all", USER)),
                COMPLETE,
                owned("m1", "other"));

        assertThat(tokenOf(verdict)).isEqualTo("m2");
    }

    @Test
    void a_match_that_another_publish_in_flight_to_the_target_may_have_made_is_undecided() {
        var verdict = ReadBacks.publish(
                publish("Hi all"), List.of(read("m1", "Hi all", USER)), COMPLETE, unsettled("in-flight", null));

        assertThat(verdict).isInstanceOf(ReadBackVerdict.Undecided.class);
        assertThat(((ReadBackVerdict.Undecided) verdict).reason()).contains("in-flight");
    }

    @Test
    void a_match_that_an_unsettled_publish_of_the_same_text_may_have_made_is_undecided() {
        var verdict = ReadBacks.publish(
                publish("Hi all"),
                List.of(read("m1", "Hi all", USER)),
                COMPLETE,
                unsettled("dead-lettered-unknown", "Hi  all"));

        assertThat(verdict).isInstanceOf(ReadBackVerdict.Undecided.class);
    }

    @Test
    void an_unsettled_publish_of_another_text_does_not_keep_the_match_from_being_taken() {
        var verdict = ReadBacks.publish(
                publish("Hi all"), List.of(read("m1", "Hi all", USER)), COMPLETE, unsettled("other-text", "Bye"));

        assertThat(tokenOf(verdict)).isEqualTo("m1");
    }
}
