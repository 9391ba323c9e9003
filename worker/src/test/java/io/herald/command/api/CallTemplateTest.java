package io.herald.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.schema.Command;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a span says of a call: its path as a template, never a token, an id or the query. */
class CallTemplateTest {
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";
    private static final String MESSAGE = "328ef915-da13-4b58-83f6-6a35af3b08c0";

    @Test
    void a_push_names_its_identity_token_and_its_board_or_playlist_id_without_giving_them() {
        assertThat(Requests.of(push("twitter/post")).template())
                .isEqualTo("/push/identities/{identity_token}/twitter/post.json");
        assertThat(Requests.of(push("pinterest/board/my-board_1/pin")).template())
                .isEqualTo("/push/identities/{identity_token}/pinterest/board/{board_id}/pin.json");
        assertThat(Requests.of(push("youtube/playlist/PL42/video")).template())
                .isEqualTo("/push/identities/{identity_token}/youtube/playlist/{playlist_id}/video.json");
        assertThat(Requests.of(push("pinterest/board")).template())
                .isEqualTo("/push/identities/{identity_token}/pinterest/board.json");
    }

    @Test
    void a_message_names_its_token_and_leaves_its_query_out() {
        assertThat(Requests.readMessage(MESSAGE).template())
                .isEqualTo("/sharing/messages/{sharing_message_token}.json");
        assertThat(Requests.republishForIdentity(MESSAGE, IDENTITY).template())
                .isEqualTo("/sharing/messages/{sharing_message_token}.json");
        assertThat(new Call("DELETE", "/sharing/messages/" + MESSAGE + ".json?confirm_deletion=true", null).template())
                .isEqualTo("/sharing/messages/{sharing_message_token}.json");
        assertThat(Requests.listMessages(2, 50, true).template()).isEqualTo("/sharing/messages.json");
        assertThat(Requests.ping().template()).isEqualTo("/tools/ping.json");
        assertThat(Requests.republishFor(MESSAGE, IDENTITY, List.of("twitter")).template())
                .doesNotContain(MESSAGE)
                .doesNotContain(IDENTITY);
    }

    private static Command push(String endpoint) {
        var json = "{\"command_id\":\"p\",\"type\":\"push\",\"identity_token\":\"" + IDENTITY + "\",\"endpoint\":\""
                + endpoint + "\",\"push\":{\"" + object(endpoint) + "\":{\"message\":\"Hi\"}}}";
        var validation = new CommandReader().read(json);
        assertThat(validation).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) validation).command();
    }

    private static String object(String endpoint) {
        return endpoint.substring(endpoint.lastIndexOf('/') + 1);
    }
}
