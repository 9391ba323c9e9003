package io.herald.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.ErrorClass;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Outcome events on {@code herald.outcomes}, keyed by command id (contract §3). Delivered at least once. */
public final class OutcomeEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OutcomeEvents() {}

    /** The error of a dead-lettered command, for its event. */
    public record Error(ErrorClass errorClass, String message, Integer httpStatus) {}

    public static ProducerRecord<byte[], byte[]> event(String topic, String commandId, String type, String status,
            int attempts, String campaignId, Map<String, String> metadata, JsonNode result, Error error) {
        var node = MAPPER.createObjectNode();
        node.put("command_id", commandId).put("type", type).put("status", status).put("attempts", attempts);
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
            var e = node.putObject("error").put("class", error.errorClass().wireName()).put("message", DeadLetters.truncate(error.message()));
            if (error.httpStatus() != null) {
                e.put("http_status", error.httpStatus());
            }
        }
        try {
            return new ProducerRecord<>(topic, commandId.getBytes(StandardCharsets.UTF_8), MAPPER.writeValueAsBytes(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
