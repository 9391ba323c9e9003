package io.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** The rules of OneAll's {@code sharing_message} node and of a campaign's recipients. */
final class SharingRules {
    private static final List<String> PARTS = List.of("text", "video", "picture", "link", "uploads", "flags");

    private SharingRules() {}

    /** {@code parts}: "either a text or a link must be supplied", URLs are URLs, the tracking flag is 0 or 1. */
    static void parts(Fields message, boolean required) {
        var parts = required ? message.requiredObject("parts") : message.optionalObject("parts");
        if (parts.isEmpty()) {
            return;
        }
        var p = parts.get();
        var text = p.optionalObject("text");
        var body = text.flatMap(t -> t.optionalText("body"));
        var link = p.optionalObject("link");
        var linkUrl = link.flatMap(l -> l.optionalString("url", Rules.HTTP_URL));
        if (body.isEmpty()
                && linkUrl.isEmpty()
                && !p.node().path("link").has("url")
                && !p.node().path("text").has("body")) {
            p.violation(p.pointer("text"), "text-or-link", "either parts.text.body or parts.link.url must be supplied");
        }
        p.optionalObject("picture").ifPresent(picture -> picture.optionalString("url", Rules.HTTP_URL));
        p.optionalObject("video").ifPresent(video -> video.optionalString("url", Rules.HTTP_URL));
        p.optionalObject("flags").ifPresent(flags -> {
            var tracking = flags.node().get("enable_tracking");
            if (tracking != null && !isFlag(tracking)) {
                flags.violation(flags.pointer("enable_tracking"), "flag", "parts.flags.enable_tracking must be 0 or 1");
            }
        });
        var uploads = p.node().get("uploads");
        if (uploads != null && !uploads.isArray()) {
            p.violation(p.pointer("uploads"), "array", "parts.uploads must be an array of {name, data}");
        }
        p.rejectUnknown(PARTS);
        Rules.findNul(p.node(), message.pointer("parts"))
                .ifPresent(at -> p.violation(at, "nul", "the message must not contain NUL characters"));
    }

    private static boolean isFlag(JsonNode node) {
        return (node.isInt() && (node.asInt() == 0 || node.asInt() == 1))
                || (node.isTextual()
                        && (node.asText().equals("0") || node.asText().equals("1")));
    }

    /** Exactly one of {@code publish_for_user} and {@code publish_for_identity}. */
    static Optional<Target> target(Fields message) {
        var node = message.node();
        boolean forUser = node.has("publish_for_user");
        boolean forIdentity = node.has("publish_for_identity");
        if (forUser == forIdentity) {
            message.violation(
                    message.pointer(forUser ? "publish_for_identity" : "publish_for_user"),
                    "one-of",
                    "exactly one of sharing_message.publish_for_user and sharing_message.publish_for_identity must be given");
            return Optional.empty();
        }
        if (forIdentity) {
            return message.requiredObject("publish_for_identity").flatMap(SharingRules::forIdentity);
        }
        return message.requiredObject("publish_for_user").flatMap(SharingRules::forUser);
    }

    private static Optional<Target> forIdentity(Fields fields) {
        var identity = fields.requiredString("identity_token", Rules.TOKEN);
        fields.rejectUnknown(List.of("identity_token"));
        return identity.map(Target.ForIdentity::new);
    }

    private static Optional<Target> forUser(Fields fields) {
        var user = fields.requiredString("user_token", Rules.TOKEN);
        var providers = providers(fields);
        fields.rejectUnknown(List.of("user_token", "providers"));
        if (user.isEmpty() || providers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Target.ForUser(user.get(), providers.get()));
    }

    private static Optional<List<String>> providers(Fields fields) {
        var node = fields.node().get("providers");
        var at = fields.pointer("providers");
        if (node == null || !node.isArray() || node.isEmpty()) {
            fields.violation(
                    at, "required", "providers must be a non-empty array of provider keys, e.g. [\"facebook\"]");
            return Optional.empty();
        }
        var providers = new ArrayList<String>();
        var seen = new HashSet<String>();
        for (int i = 0; i < node.size(); i++) {
            var provider = node.get(i);
            if (!provider.isTextual() || !Providers.isKnown(provider.asText())) {
                fields.violation(
                        at + "/" + i,
                        "provider",
                        "provider '" + Rules.shorten(provider.asText()) + "' is unknown; expected one of "
                                + String.join(", ", new java.util.TreeSet<>(Providers.KEYS)));
                return Optional.empty();
            }
            if (!seen.add(provider.asText())) {
                fields.violation(at + "/" + i, "unique", "provider '" + provider.asText() + "' is named twice");
                return Optional.empty();
            }
            providers.add(provider.asText());
        }
        return Optional.of(providers);
    }

    /** A campaign's {@code recipients}: 1 to 10,000 of {@code {user_token, providers}} or {@code {identity_token}}. */
    static Optional<List<Target>> recipients(Fields command) {
        var node = command.node().get("recipients");
        var at = command.pointer("recipients");
        if (node == null || !node.isArray() || node.isEmpty()) {
            command.violation(
                    at,
                    "required",
                    "recipients must be a non-empty array of {user_token, providers} or {identity_token}");
            return Optional.empty();
        }
        if (node.size() > Limits.MAX_RECIPIENTS) {
            command.violation(
                    at,
                    "max-items",
                    "a campaign command has at most " + Limits.MAX_RECIPIENTS
                            + " recipients; send a larger campaign as several commands with recipient_offset");
            return Optional.empty();
        }
        var recipients = new ArrayList<Target>(node.size());
        int before = countViolations(command);
        for (int i = 0; i < node.size(); i++) {
            var recipient = node.get(i);
            if (!recipient.isObject()) {
                command.violation(
                        at + "/" + i, "object", "a recipient must be an object, not " + CommandReader.kind(recipient));
                continue;
            }
            var fields = new Fields((ObjectNode) recipient, at + "/" + i, command.violations());
            var target = recipient.has("identity_token") && !recipient.has("user_token")
                    ? forIdentity(fields)
                    : forUser(fields);
            target.ifPresent(recipients::add);
            if (countViolations(command) - before >= 20) {
                break;
            }
        }
        return recipients.size() == node.size() ? Optional.of(recipients) : Optional.empty();
    }

    private static int countViolations(Fields fields) {
        return fields.violations().size();
    }
}
