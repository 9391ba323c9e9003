package io.herald.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Makes what OneAll answered safe to store: PostgreSQL refuses a NUL character in text and in JSON, and an index
 * refuses an over-long key, and either refusal of one answer must never stop the recording of the others. Strings
 * lose their NUL characters and are cut to {@link #MAX_TEXT} characters; the body as received is kept apart
 * (as bytes) when anything was changed.
 */
public final class Sanitizer {
    /** The longest text kept from an answer (a token, an id, a URL, a message). */
    public static final int MAX_TEXT = 2_000;

    private Sanitizer() {}

    /** The tree without NUL characters or over-long strings (itself when it had none). */
    public static JsonNode clean(JsonNode node) {
        if (node == null || !needsCleaning(node)) {
            return node;
        }
        return copy(node);
    }

    /** A text made safe to store, or null. */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        var clean = text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "");
        return clean.length() > MAX_TEXT ? clean.substring(0, MAX_TEXT) : clean;
    }

    private static boolean needsCleaning(JsonNode node) {
        if (node.isTextual()) {
            var text = node.textValue();
            return text.length() > MAX_TEXT || text.indexOf('\u0000') >= 0;
        }
        if (node.isObject()) {
            for (var field : node.properties()) {
                var name = field.getKey();
                if (name.indexOf('\u0000') >= 0 || name.length() > MAX_TEXT || needsCleaning(field.getValue())) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (var child : node) {
                if (needsCleaning(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode copy(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(clean(node.textValue()));
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> array.add(copy(child)));
            return array;
        }
        if (node.isObject()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(field -> object.set(clean(field.getKey()), copy(field.getValue())));
            return object;
        }
        return node;
    }
}
