package io.herald.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The checks of one command ({@link CommandReader}); collects every violation rather than stopping at the first. */
final class CommandChecks {
    private final ObjectNode root;
    private final List<Violation> violations = new ArrayList<>();
    private final Fields fields;
    private final Instant now;

    CommandChecks(ObjectNode root, Instant now) {
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
                    "/metadata",
                    "object",
                    "metadata must be an object of string values, not " + CommandReader.kind(node));
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
                        pointer,
                        "string",
                        "metadata values must be strings, not " + CommandReader.kind(entry.getValue()));
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
                            "/push", "min-properties", "push must name the object to publish, e.g. {\"post\": {...}}");
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
