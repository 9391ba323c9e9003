package io.herald.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/** Fields of the ledger's JSON records as text for pages, and JSON documents shown indented. */
final class JsonText {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonText() {}

    /** A field as text, or null when absent or null. */
    static String text(JsonNode node, String field) {
        var value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** A document indented when it is JSON; as UTF-8 text otherwise (a record that was never JSON). */
    static String pretty(byte[] value) {
        return pretty(new String(value, StandardCharsets.UTF_8));
    }

    static String pretty(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(MAPPER.readTree(value));
        } catch (JsonProcessingException | RuntimeException e) {
            return value;
        }
    }

    static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    /** The text body of a sharing message's parts ({@code parts.text.body}), or null. */
    static String body(String partsJson) {
        if (partsJson == null) {
            return null;
        }
        try {
            var body = MAPPER.readTree(partsJson).path("text").path("body");
            return body.isTextual() ? body.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
