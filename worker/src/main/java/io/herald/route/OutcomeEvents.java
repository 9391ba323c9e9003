package io.herald.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.ErrorClass;
import io.herald.schema.OutcomeHeaders;
import io.herald.store.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Outcome events on {@code herald.outcomes}, keyed by command id, with headers naming the command, its type and the
 * event's status (docs/commands.md). Delivered at least once.
 */
public final class OutcomeEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OutcomeEvents() {}

    /** The event with other headers: the command's trace besides its id, type and status. */
    public static OutboxMessage withHeaders(OutboxMessage event, Map<String, String> headers) {
        return new OutboxMessage(event.topic(), event.key(), event.value(), headers);
    }

    /** The error of a command that did not succeed, for its event. */
    public record Error(ErrorClass errorClass, String message, Integer httpStatus) {}

    /** The event of a command: {@code status} is its ledger status when it ended, or {@code held} (not an end) when OneAll refused its identity. */
    public static OutboxMessage event(
            String topic,
            String commandId,
            String type,
            String status,
            int attempts,
            String campaignId,
            Map<String, String> metadata,
            JsonNode result,
            Error error) {
        var node = MAPPER.createObjectNode();
        node.put("command_id", commandId)
                .put("type", type)
                .put("status", status)
                .put("attempts", attempts);
        if (campaignId != null) {
            node.put("campaign_id", campaignId);
        }
        if (metadata != null && !metadata.isEmpty()) {
            var meta = node.putObject("metadata");
            metadata.forEach(meta::put);
        }
        if (result != null && !result.isNull() && !result.isMissingNode()) {
            node.set("result", result);
        }
        if (error != null) {
            var e = node.putObject("error")
                    .put("class", error.errorClass().wireName())
                    .put("message", DeadLetters.truncate(error.message()));
            if (error.httpStatus() != null) {
                e.put("http_status", error.httpStatus());
            }
        }
        try {
            return new OutboxMessage(
                    topic,
                    commandId.getBytes(StandardCharsets.UTF_8),
                    MAPPER.writeValueAsBytes(node),
                    Map.of(
                            OutcomeHeaders.COMMAND_ID,
                            commandId,
                            OutcomeHeaders.TYPE,
                            type,
                            OutcomeHeaders.STATUS,
                            status));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
