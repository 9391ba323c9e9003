package io.herald.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.schema.Command;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import io.herald.store.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The commands a campaign fans out, read back by the worker's own command reader: each valid, with its recipient's id,
 * type and key, the campaign's id carried along; the publisher publishes the parts, the others republish the message.
 */
class FanOutCommandsTest {
    private static final String MESSAGE_TOKEN = "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8";

    private final CommandReader reader = new CommandReader();

    @Test
    void the_publisher_publishes_the_parts_under_its_recipient_s_id_keyed_by_its_recipient() throws Exception {
        var campaign = example();

        var publish = FanOutCommands.publish("herald.commands", campaign, 0);

        var command = valid(publish);
        assertThat(command.commandId()).isEqualTo("spring-sale:0");
        assertThat(command.type().wireName()).isEqualTo("publish");
        assertThat(new String(publish.key(), StandardCharsets.UTF_8))
                .isEqualTo(campaign.recipients().get(0).routingToken());
        assertThat(json(publish)).contains("\"campaign_id\":\"spring-sale\"").contains("\"body\":\"Spring sale\"");
    }

    @Test
    void every_other_recipient_republishes_the_published_message_by_its_token() throws Exception {
        var campaign = example();

        var republish = FanOutCommands.republish("herald.commands", campaign, 1, MESSAGE_TOKEN);

        var command = valid(republish);
        assertThat(command.commandId()).isEqualTo("spring-sale:1");
        assertThat(command.type().wireName()).isEqualTo("republish");
        assertThat(new String(republish.key(), StandardCharsets.UTF_8))
                .isEqualTo(campaign.recipients().get(1).routingToken());
        assertThat(json(republish))
                .contains("\"sharing_message_token\":\"" + MESSAGE_TOKEN + "\"")
                .doesNotContain("Spring sale");
    }

    @Test
    void a_refresh_is_a_valid_command_keyed_by_the_message() {
        var refresh = FanOutCommands.refresh("herald.commands", "spring-sale", MESSAGE_TOKEN, "spring-sale:refresh:7");

        var command = valid(refresh);
        assertThat(command.commandId()).isEqualTo("spring-sale:refresh:7");
        assertThat(command.type().wireName()).isEqualTo("refresh");
        assertThat(new String(refresh.key(), StandardCharsets.UTF_8)).isEqualTo(MESSAGE_TOKEN);
    }

    private Command valid(OutboxMessage message) {
        var validation = reader.read(message.key(), message.value());
        assertThat(validation)
                .as(() -> json(message) + ": " + ((Validation.Invalid) validation).summary())
                .isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) validation).command();
    }

    private Command.Campaign example() throws Exception {
        var json = Files.readString(Path.of("..", "schema", "examples", "campaign.json"));
        return (Command.Campaign) ((Validation.Valid) reader.read(json)).command();
    }

    private static String json(OutboxMessage message) {
        return new String(message.value(), StandardCharsets.UTF_8);
    }
}
