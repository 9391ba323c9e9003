package io.herald.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Optional;

/** The sandbox's JSON mapper and the few ways it reads request bodies. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    /**
     * A copy of {@code data} made of tree nodes only: a value written only when rendered ({@link PublicationsJson})
     * becomes nodes.
     */
    static ObjectNode tree(ObjectNode data) {
        return MAPPER.valueToTree(data);
    }

    static Optional<JsonNode> requestNode(JsonNode body) {
        return Optional.ofNullable(body).map(b -> b.get("request")).filter(JsonNode::isObject);
    }

    /** The {@code request.sharing_message} object of a publish or re-publish body. */
    static Optional<JsonNode> sharingMessage(JsonNode body) {
        return requestNode(body).map(r -> r.get("sharing_message")).filter(JsonNode::isObject);
    }

    static Optional<String> text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank()
                ? Optional.of(node.asText())
                : Optional.empty();
    }
}
