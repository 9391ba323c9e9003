package io.herald.oneall;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.List;

/**
 * Reads a OneAll answer into a tree. Given a target (a user or identity token), the sharing message's publications of
 * other users are scanned for their tokens and skipped, never built: a re-publish answered with the whole message
 * lists up to a page of every recipient's publications (about 113 kB for 250 of them), of which a call keeps its own
 * only. The tree is the one {@link Answers#narrowed(JsonNode, String)} makes of the whole answer.
 */
final class EnvelopeReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> TO_MESSAGE = List.of("response", "result", "data", "sharing_message");

    private EnvelopeReader() {}

    static JsonNode read(byte[] bytes, String target) throws IOException {
        if (target == null) {
            return MAPPER.readTree(bytes);
        }
        try (var parser = MAPPER.createParser(bytes)) {
            return parser.nextToken() == null ? MissingNode.getInstance() : value(parser, bytes, 0, target);
        }
    }

    /** The value at the parser's token, {@code depth} field names along the path to the sharing message. */
    private static JsonNode value(JsonParser parser, byte[] bytes, int depth, String target) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return tree(parser);
        }
        var object = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            var name = parser.currentName();
            parser.nextToken();
            if (depth < TO_MESSAGE.size() && name.equals(TO_MESSAGE.get(depth))) {
                object.set(name, value(parser, bytes, depth + 1, target));
            } else if (depth == TO_MESSAGE.size() && name.equals("publications")) {
                object.set(name, publications(parser, bytes, target, true));
            } else {
                object.set(name, tree(parser));
            }
        }
        return object;
    }

    /** A list of publications, or the object that holds it as {@code entries}, with the target's entries only. */
    private static JsonNode publications(JsonParser parser, byte[] bytes, String target, boolean holder)
            throws IOException {
        if (parser.currentToken() == JsonToken.START_ARRAY) {
            var kept = JsonNodeFactory.instance.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                var entry = entryOf(parser, bytes, target);
                if (entry != null) {
                    kept.add(entry);
                }
            }
            return kept;
        }
        if (!holder || parser.currentToken() != JsonToken.START_OBJECT) {
            return tree(parser);
        }
        var object = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            var name = parser.currentName();
            parser.nextToken();
            object.set(name, name.equals("entries") ? publications(parser, bytes, target, false) : tree(parser));
        }
        return object;
    }

    /**
     * The entry at the parser's token when it is the target's (its {@code user_token} or {@code identity_token}, the
     * last of each when repeated, read as {@link JsonNode#asText(String)} reads them), else null, the entry skipped.
     */
    private static JsonNode entryOf(JsonParser parser, byte[] bytes, String target) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        long start = parser.currentTokenLocation().getByteOffset();
        String user = null;
        String identity = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            var name = parser.currentName();
            parser.nextToken();
            if (name.equals("user_token")) {
                user = text(parser);
            } else if (name.equals("identity_token")) {
                identity = text(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (!target.equals(user) && !target.equals(identity)) {
            return null;
        }
        long end = parser.currentLocation().getByteOffset();
        return MAPPER.readTree(bytes, (int) start, (int) (end - start));
    }

    /** The value at the parser's token as {@link JsonNode#asText(String)} reads it: "" for an object or array. */
    private static String text(JsonParser parser) throws IOException {
        if (parser.currentToken().isStructStart()) {
            parser.skipChildren();
            return "";
        }
        return tree(parser).asText(null);
    }

    private static JsonNode tree(JsonParser parser) throws IOException {
        return MAPPER.readTree(parser);
    }
}
