package io.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The fields of one JSON object of a command, read with their JSON pointers; violations go to a shared list. */
final class Fields {
    private final ObjectNode node;
    private final String pointer;
    private final List<Violation> violations;

    Fields(ObjectNode node, String pointer, List<Violation> violations) {
        this.node = node;
        this.pointer = pointer;
        this.violations = violations;
    }

    ObjectNode node() {
        return node;
    }

    List<Violation> violations() {
        return violations;
    }

    String pointer(String name) {
        return pointer + "/" + Rules.escapePointer(name);
    }

    void violation(String at, String rule, String message) {
        violations.add(new Violation(at, rule, message));
    }

    private String label(String name) {
        return (pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.') + ".") + name;
    }

    /** A required non-empty string without NUL characters. */
    Optional<String> requiredText(String name) {
        var value = node.get(name);
        if (value == null || value.isNull()) {
            violation(pointer(name), "required", label(name) + " is required");
            return Optional.empty();
        }
        return text(name, value);
    }

    Optional<String> optionalText(String name) {
        var value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return text(name, value);
    }

    private Optional<String> text(String name, JsonNode value) {
        if (!value.isTextual()) {
            violation(pointer(name), "string", label(name) + " must be a string, not " + CommandReader.kind(value));
            return Optional.empty();
        }
        if (value.asText().isEmpty()) {
            violation(pointer(name), "min-length", label(name) + " must not be empty");
            return Optional.empty();
        }
        if (Rules.hasNul(value.asText())) {
            violation(pointer(name), "nul", label(name) + " must not contain NUL characters");
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    Optional<String> requiredString(String name, Rules.Rule rule) {
        return requiredText(name).flatMap(value -> check(name, value, rule));
    }

    Optional<String> optionalString(String name, Rules.Rule rule) {
        return optionalText(name).flatMap(value -> check(name, value, rule));
    }

    private Optional<String> check(String name, String value, Rules.Rule rule) {
        if (!rule.matches(value)) {
            violation(
                    pointer(name),
                    rule.name(),
                    label(name) + " " + rule.description() + "; got '" + Rules.shorten(value) + "'");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** The field as text if it is one, unchecked: to name an invalid command in its dead letter. */
    Optional<String> rawText(String name) {
        var value = node.get(name);
        return value != null && value.isTextual() ? Optional.of(Rules.shorten(value.asText())) : Optional.empty();
    }

    Optional<Fields> requiredObject(String name) {
        var value = node.get(name);
        if (value == null || value.isNull()) {
            violation(pointer(name), "required", label(name) + " is required");
            return Optional.empty();
        }
        return object(name, value);
    }

    Optional<Fields> optionalObject(String name) {
        var value = node.get(name);
        return value == null || value.isNull() ? Optional.empty() : object(name, value);
    }

    private Optional<Fields> object(String name, JsonNode value) {
        if (!value.isObject()) {
            violation(pointer(name), "object", label(name) + " must be an object, not " + CommandReader.kind(value));
            return Optional.empty();
        }
        return Optional.of(new Fields((ObjectNode) value, pointer(name), violations));
    }

    /** When present, a string, empty or not: optional texts of OneAll's nodes are passed on as given. */
    void stringIfPresent(String name) {
        var value = node.get(name);
        if (value != null && !value.isNull() && !value.isTextual()) {
            violation(pointer(name), "string", label(name) + " must be a string, not " + CommandReader.kind(value));
        }
    }

    void booleanIfPresent(String name) {
        var value = node.get(name);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            violation(
                    pointer(name), "boolean", label(name) + " must be true or false, not " + CommandReader.kind(value));
        }
    }

    /** An optional ISO-8601 instant such as {@code 2026-01-31T12:00:00Z}. */
    Optional<Instant> optionalInstant(String name) {
        return optionalText(name).flatMap(value -> {
            try {
                return Optional.of(Instant.parse(value));
            } catch (DateTimeParseException e) {
                violation(
                        pointer(name),
                        "instant",
                        label(name) + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
                return Optional.empty();
            }
        });
    }

    Optional<Integer> optionalInt(String name, int min, int max) {
        var value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            violation(pointer(name), "range", label(name) + " must be a whole number from " + min + " to " + max);
            return Optional.empty();
        }
        return Optional.of(value.asInt());
    }

    /** Fields this object may not have: Herald's own objects are closed, so a misspelt field is not silently lost. */
    void rejectUnknown(Collection<String> allowed) {
        var unknown = new ArrayList<String>();
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        });
        for (var name : unknown) {
            violation(
                    pointer(name),
                    "unknown-field",
                    "'" + Rules.shorten(name) + "' is not a field of "
                            + (pointer.isEmpty()
                                    ? "this command type"
                                    : pointer.substring(1).replace('/', '.')));
        }
    }
}
