package io.herald.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and validates commands: the one validator of producers, {@code herald enqueue} and the
 * worker alike. Every rule of the command format (docs/commands.md) and the documented OneAll
 * limits is checked; each broken rule is reported with the JSON pointer of its field. Input is
 * bounded in size and nesting, so no value costs unbounded memory or time. Thread-safe.
 */
public final class CommandReader {
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(Limits.MAX_NESTING_DEPTH)
                            .maxStringLength(Limits.MAX_COMMAND_BYTES)
                            .maxNumberLength(64)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .build();

    private final Clock clock;

    /** A reader that judges {@code not_before} against the system clock. */
    public CommandReader() {
        this(Clock.systemUTC());
    }

    /** A reader that judges {@code not_before} against {@code clock}: how far ahead it may be. */
    public CommandReader(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reads a Kafka record. Its value decides whether it is a command; its key does not (docs/commands.md: a record
     * whose key is not its command's routing key is still processed). An invalid record's key is kept as text in the
     * ledger, though, so a key that could not be a routing key ({@link RecordKeys}) is named among its violations,
     * and kept as its digest ({@link RecordKeys#text}).
     */
    public Validation read(byte[] key, byte[] value) {
        var validation = read(value);
        var keyViolations = RecordKeys.violations(key);
        if (keyViolations.isEmpty() || validation instanceof Validation.Valid) {
            return validation;
        }
        var invalid = (Validation.Invalid) validation;
        var violations = new ArrayList<>(keyViolations);
        violations.addAll(invalid.violations());
        return new Validation.Invalid(violations, invalid.commandId(), invalid.type());
    }

    /** Reads a Kafka value, as a command: the record's key is not judged. */
    public Validation read(byte[] value) {
        if (value == null) {
            return invalid("", "required", "the record has no value (a tombstone is not a command)");
        }
        if (value.length > Limits.MAX_COMMAND_BYTES) {
            return invalid(
                    "",
                    "max-size",
                    "the command is " + value.length + " bytes; at most " + Limits.MAX_COMMAND_BYTES + " are allowed");
        }
        if (!RecordKeys.isUtf8(value)) {
            return invalid("", "utf-8", "the command is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            return invalid("", "json", "the command is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            return invalid("", "json", "the command could not be read: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            return invalid("", "json", "the command is empty");
        }
        if (!root.isObject()) {
            return invalid("", "object", "a command is a JSON object, not " + kind(root));
        }
        return new CommandChecks((ObjectNode) root, clock.instant()).validate();
    }

    /** Reads a command given as text, e.g. one line of {@code herald enqueue}. */
    public Validation read(String json) {
        return read(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private static Validation invalid(String pointer, String rule, String message) {
        return new Validation.Invalid(
                List.of(new Violation(pointer, rule, message)), Optional.empty(), Optional.empty());
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        var line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        } else if (node.isNumber()) {
            return "a number";
        } else if (node.isBoolean()) {
            return "a boolean";
        } else if (node.isArray()) {
            return "an array";
        } else if (node.isNull()) {
            return "null";
        }
        return "an object";
    }
}
