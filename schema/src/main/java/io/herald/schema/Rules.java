package io.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The shapes of Herald's identifiers and a few helpers of the checks. */
final class Rules {
    record Rule(String name, Pattern pattern, String description) {
        boolean matches(String value) {
            return pattern.matcher(value).matches();
        }
    }

    static final Rule COMMAND_ID = new Rule(
            "command-id",
            Pattern.compile("[A-Za-z0-9._:-]{1," + Limits.MAX_ID_LENGTH + "}"),
            "must be 1 to " + Limits.MAX_ID_LENGTH + " characters of A-Z a-z 0-9 . _ : -");
    static final Rule CAMPAIGN_ID = new Rule(
            "campaign-id",
            Pattern.compile("[A-Za-z0-9._:-]{1," + Limits.MAX_CAMPAIGN_ID_LENGTH + "}"),
            "must be 1 to " + Limits.MAX_CAMPAIGN_ID_LENGTH + " characters of A-Z a-z 0-9 . _ : -");
    static final Rule TOKEN = new Rule(
            "token", Tokens.UUID, "must be a OneAll token (a UUID such as 9a76c7f6-3705-48a8-8ea6-e862ed86d5d8)");
    static final Rule HTTP_URL = new Rule(
            "url",
            Pattern.compile("https?://[^\\s\\u0000]{1," + Limits.MAX_URL_LENGTH + "}"),
            "must be an http or https URL of at most " + Limits.MAX_URL_LENGTH + " characters");

    private Rules() {}

    static boolean hasNul(String value) {
        return value.indexOf('\u0000') >= 0;
    }

    static String shorten(String value) {
        var printable = value.replaceAll("[\\p{Cntrl}]", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }

    static String escapePointer(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** The pointer of the first string under {@code node} (values and keys) that holds a NUL character. */
    static Optional<String> findNul(JsonNode node, String pointer) {
        if (node.isTextual()) {
            return hasNul(node.asText()) ? Optional.of(pointer) : Optional.empty();
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                var found = findNul(node.get(i), pointer + "/" + i);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                var at = pointer + "/" + escapePointer(entry.getKey());
                if (hasNul(entry.getKey())) {
                    return Optional.of(at);
                }
                var found = findNul(entry.getValue(), at);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
