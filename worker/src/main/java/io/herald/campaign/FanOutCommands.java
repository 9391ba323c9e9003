package io.herald.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.schema.Command;
import io.herald.schema.Target;
import io.herald.store.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The commands a campaign fans out (docs/commands.md): recipient {@code i} gets the id
 * {@code <campaign_id>:<recipient_offset + i>}; the publisher a {@code publish} of the campaign's parts,
 * every other recipient a {@code republish} of the published message. Each is keyed by its recipient,
 * so it is ordered with that account's other commands. The campaign's metadata and {@code not_before} are carried along.
 */
public final class FanOutCommands {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FanOutCommands() {}

    public static OutboxMessage publish(String topic, Command.Campaign campaign, int index) {
        var json = envelope(campaign, index, "publish");
        var message = json.putObject("sharing_message");
        message.set("parts", campaign.parts().deepCopy());
        target(message, campaign.recipients().get(index));
        return record(topic, campaign.recipients().get(index), json);
    }

    public static OutboxMessage republish(String topic, Command.Campaign campaign, int index, String token) {
        var json = envelope(campaign, index, "republish");
        json.put("sharing_message_token", token);
        target(json.putObject("sharing_message"), campaign.recipients().get(index));
        return record(topic, campaign.recipients().get(index), json);
    }

    /** A {@code refresh} of a campaign's message, for its referral counts; {@code commandId} makes it unique per schedule slot. */
    public static OutboxMessage refresh(String topic, String campaignId, String token, String commandId) {
        var json = MAPPER.createObjectNode();
        json.put("command_id", commandId);
        json.put("type", "refresh");
        json.put("campaign_id", campaignId);
        json.put("sharing_message_token", token);
        return new OutboxMessage(topic, token.getBytes(StandardCharsets.UTF_8), bytes(json), Map.of());
    }

    private static ObjectNode envelope(Command.Campaign campaign, int index, String type) {
        var json = MAPPER.createObjectNode();
        json.put("command_id", campaign.recipientCommandId(index));
        json.put("type", type);
        json.put("campaign_id", campaign.campaignId());
        campaign.envelope().createdAt().ifPresent(at -> json.put("created_at", at.toString()));
        campaign.envelope().notBefore().ifPresent(at -> json.put("not_before", at.toString()));
        if (!campaign.envelope().metadata().isEmpty()) {
            var metadata = json.putObject("metadata");
            campaign.envelope().metadata().forEach(metadata::put);
        }
        return json;
    }

    private static void target(ObjectNode message, Target target) {
        if (target instanceof Target.ForUser user) {
            var node = message.putObject("publish_for_user");
            node.put("user_token", user.userToken());
            var providers = node.putArray("providers");
            user.providers().forEach(providers::add);
        } else {
            message.putObject("publish_for_identity")
                    .put("identity_token", ((Target.ForIdentity) target).identityToken());
        }
    }

    private static OutboxMessage record(String topic, Target target, ObjectNode json) {
        return new OutboxMessage(topic, target.routingToken().getBytes(StandardCharsets.UTF_8), bytes(json), Map.of());
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
