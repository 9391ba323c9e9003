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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Reads a Kafka value. */
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
        var utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            utf8.decode(ByteBuffer.wrap(value));
        } catch (CharacterCodingException e) {
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
        return new Checks((ObjectNode) root, clock.instant()).validate();
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

    /** The checks of one command; collects every violation rather than stopping at the first. */
    private static final class Checks {
        private final ObjectNode root;
        private final List<Violation> violations = new ArrayList<>();
        private final Fields fields;
        private final Instant now;

        Checks(ObjectNode root, Instant now) {
            this.root = root;
            this.fields = new Fields(root, "", violations);
            this.now = now;
        }

        Validation validate() {
            var commandId = fields.requiredString("command_id", Rules.COMMAND_ID);
            var typeName = fields.requiredText("type");
            var createdAt = fields.optionalInstant("created_at");
            var notBefore = notBefore();
            var campaignId = fields.optionalString("campaign_id", Rules.CAMPAIGN_ID);
            var metadata = metadata();
            var type = typeName.flatMap(name -> {
                var known = CommandType.fromWireName(name);
                if (known.isEmpty()) {
                    fields.violation(
                            "/type",
                            "enum",
                            "type '" + Rules.shorten(name)
                                    + "' is unknown; expected publish, republish, push, delete, refresh or campaign");
                }
                return known;
            });
            Command command = null;
            if (type.isPresent()) {
                var envelope = new Command.Envelope(commandId.orElse(""), createdAt, campaignId, metadata, notBefore);
                command = switch (type.get()) {
                    case PUBLISH -> publish(envelope);
                    case REPUBLISH -> republish(envelope);
                    case PUSH -> push(envelope);
                    case DELETE -> new Command.Delete(envelope, messageToken(), root);
                    case REFRESH -> new Command.Refresh(envelope, messageToken(), root);
                    case CAMPAIGN -> campaign(envelope);
                };
                fields.rejectUnknown(TypeFields.of(type.get()));
            }
            if (!violations.isEmpty() || command == null) {
                return new Validation.Invalid(violations, commandId.or(() -> fields.rawText("command_id")), typeName);
            }
            return new Validation.Valid(command);
        }

        /** A past {@code not_before} is fine: it means now, as for a command that waited in a backlog. */
        private Optional<Instant> notBefore() {
            var notBefore = fields.optionalInstant("not_before");
            if (notBefore.isPresent() && notBefore.get().isAfter(now.plus(Limits.MAX_NOT_BEFORE_AHEAD))) {
                fields.violation(
                        "/not_before",
                        "max-ahead",
                        "not_before is more than " + Limits.MAX_NOT_BEFORE_AHEAD.toDays() + " days ahead; got "
                                + notBefore.get());
                return Optional.empty();
            }
            return notBefore;
        }

        private Map<String, String> metadata() {
            var values = new LinkedHashMap<String, String>();
            var node = root.get("metadata");
            if (node == null || node.isNull()) {
                return values;
            }
            if (!node.isObject()) {
                fields.violation(
                        "/metadata", "object", "metadata must be an object of string values, not " + kind(node));
                return values;
            }
            if (node.size() > Limits.MAX_METADATA_ENTRIES) {
                fields.violation(
                        "/metadata",
                        "max-entries",
                        "metadata has " + node.size() + " entries; at most " + Limits.MAX_METADATA_ENTRIES
                                + " are allowed");
                return values;
            }
            node.properties().forEach(entry -> {
                var pointer = "/metadata/" + Rules.escapePointer(entry.getKey());
                if (entry.getKey().isEmpty() || entry.getKey().length() > Limits.MAX_METADATA_KEY_LENGTH) {
                    fields.violation(
                            pointer,
                            "max-length",
                            "metadata keys are 1 to " + Limits.MAX_METADATA_KEY_LENGTH + " characters");
                } else if (!entry.getValue().isTextual()) {
                    fields.violation(
                            pointer, "string", "metadata values must be strings, not " + kind(entry.getValue()));
                } else if (entry.getValue().asText().length() > Limits.MAX_METADATA_VALUE_LENGTH) {
                    fields.violation(
                            pointer,
                            "max-length",
                            "metadata values are at most " + Limits.MAX_METADATA_VALUE_LENGTH + " characters");
                } else if (Rules.hasNul(entry.getKey())
                        || Rules.hasNul(entry.getValue().asText())) {
                    fields.violation(pointer, "nul", "metadata must not contain NUL characters");
                } else {
                    values.put(entry.getKey(), entry.getValue().asText());
                }
            });
            return values;
        }

        private Command publish(Command.Envelope envelope) {
            var sharing = fields.requiredObject("sharing_message");
            if (sharing.isEmpty()) {
                return null;
            }
            var message = sharing.get();
            SharingRules.parts(message, true);
            var target = SharingRules.target(message);
            message.rejectUnknown(List.of("parts", "publish_for_user", "publish_for_identity"));
            return target.map(t -> new Command.Publish(envelope, message.node(), t, root))
                    .orElse(null);
        }

        private Command republish(Command.Envelope envelope) {
            var token = messageToken();
            var sharing = fields.requiredObject("sharing_message");
            if (sharing.isEmpty()) {
                return null;
            }
            var message = sharing.get();
            if (message.node().has("parts")) {
                message.violation(
                        "/sharing_message/parts",
                        "not-allowed",
                        "a re-publish reuses the stored message: sharing_message.parts is not allowed");
            }
            var target = SharingRules.target(message);
            message.rejectUnknown(List.of("parts", "publish_for_user", "publish_for_identity"));
            return target.map(t -> new Command.Republish(envelope, token, message.node(), t, root))
                    .orElse(null);
        }

        private Command push(Command.Envelope envelope) {
            var identity = fields.requiredString("identity_token", Rules.TOKEN);
            var endpointName = fields.requiredText("endpoint");
            var endpoint = endpointName.flatMap(name -> {
                var resolved = PushEndpoint.parse(name);
                if (resolved.isEmpty()) {
                    fields.violation(
                            "/endpoint",
                            "enum",
                            "endpoint '" + Rules.shorten(name)
                                    + "' is not one of the 20 Push API endpoints (e.g. twitter/post, facebook/page/post,"
                                    + " pinterest/board/<board_id>/pin)");
                }
                return resolved;
            });
            endpoint.flatMap(resolved -> PushRules.refusal(resolved.endpoint()))
                    .ifPresent(why -> fields.violation("/endpoint", "deprecated", why));
            var push = fields.requiredObject("push");
            if (push.isPresent() && push.get().node().isEmpty()) {
                push.get()
                        .violation(
                                "/push",
                                "min-properties",
                                "push must name the object to publish, e.g. {\"post\": {...}}");
            }
            if (push.isPresent() && endpoint.isPresent()) {
                PushRules.check(endpoint.get().endpoint(), push.get());
            }
            if (identity.isEmpty() || endpoint.isEmpty() || push.isEmpty()) {
                return null;
            }
            return new Command.Push(
                    envelope, identity.get(), endpoint.get(), push.get().node(), root);
        }

        private Command campaign(Command.Envelope envelope) {
            if (envelope.campaignId().isEmpty() && !root.has("campaign_id")) {
                fields.violation("/campaign_id", "required", "campaign_id is required for a campaign");
            }
            var sharing = fields.requiredObject("sharing_message");
            sharing.ifPresent(message -> {
                SharingRules.parts(message, true);
                message.rejectUnknown(List.of("parts"));
            });
            int offset = fields.optionalInt("recipient_offset", 0, Limits.MAX_RECIPIENT_OFFSET)
                    .orElse(0);
            var recipients = SharingRules.recipients(fields);
            if (envelope.campaignId().isEmpty() || sharing.isEmpty() || recipients.isEmpty()) {
                return null;
            }
            var parts = (ObjectNode) sharing.get().node().get("parts");
            return new Command.Campaign(envelope, envelope.campaignId().get(), parts, recipients.get(), offset, root);
        }

        private String messageToken() {
            return fields.requiredString("sharing_message_token", Rules.TOKEN).orElse(null);
        }
    }
}
