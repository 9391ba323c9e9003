package io.herald.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.schema.Providers;
import io.herald.schema.PushEndpoint;
import io.herald.schema.Tokens;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The state of one sandboxed OneAll site (users, identities, sharing messages, short URLs) and the
 * API operations on it. Thread-safe: the sandbox serves from several event loops.
 */
final class SandboxSite {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"<>]+");
    private static final String BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** Decides the status of one provider's publication: 0 for success, else the failure's code. */
    interface PublicationFaults {
        int statusFor(String token, String provider);
    }

    record Identity(String identityToken, String provider, String userToken) {}

    record ShortUrl(String token, String originalUrl, Instant created, long millisPerReferral) {}

    record Publication(String provider, String userToken, String identityToken, Instant date, int code,
            String message, List<ShortUrl> shortUrls) {
        boolean succeeded() {
            return code == 200;
        }
    }

    static final class Message {
        final String token;
        final ObjectNode parts;
        final Instant created;
        volatile Instant lastPublished;
        volatile boolean deleted;
        final List<Publication> publications = new ArrayList<>();

        Message(String token, ObjectNode parts, Instant created) {
            this.token = token;
            this.parts = parts;
            this.created = created;
            this.lastPublished = created;
        }
    }

    private final Clock clock;
    private final boolean autoProvision;
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> usersIdentities = new ConcurrentHashMap<>();
    private final Map<String, Message> messages = new ConcurrentHashMap<>();

    SandboxSite(Clock clock, boolean autoProvision) {
        this.clock = clock;
        this.autoProvision = autoProvision;
    }

    /** Registers an identity of a provider, for a user (a new user when {@code userToken} is null). */
    Identity addIdentity(String identityToken, String provider, String userToken) {
        var user = userToken == null ? UUID.randomUUID().toString() : userToken;
        var identity = new Identity(identityToken, provider, user);
        var existing = identities.putIfAbsent(identityToken, identity);
        if (existing != null) {
            return existing;
        }
        usersIdentities.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).putIfAbsent(provider, identityToken);
        return identity;
    }

    Instant now() {
        return clock.instant();
    }

    // --- Sharing API -------------------------------------------------------------------------

    Answer publish(JsonNode body, PublicationFaults faults) {
        var sharing = requestNode(body).map(r -> r.get("sharing_message")).filter(JsonNode::isObject);
        if (sharing.isEmpty()) {
            return Answer.error(400, "The request must contain a request.sharing_message object");
        }
        var parts = sharing.get().get("parts");
        if (parts == null || !parts.isObject()) {
            return Answer.error(400, "The sharing_message must contain a parts object");
        }
        if (text(parts.path("text").path("body")).isEmpty() && text(parts.path("link").path("url")).isEmpty()) {
            return Answer.error(400, "Either a text (parts.text.body) or a link (parts.link.url) must be supplied");
        }
        var targets = targets(sharing.get());
        if (targets.error() != null) {
            return targets.error();
        }
        var message = new Message(UUID.randomUUID().toString(), (ObjectNode) parts.deepCopy(), clock.instant());
        var created = publishTo(message, targets.identities(), faults, targets.token());
        if (created.stream().noneMatch(Publication::succeeded)) {
            return allFailed(created);
        }
        messages.put(message.token, message);
        return Answer.success(statusOf(created), messageData(message, created), null);
    }

    Answer republish(String token, JsonNode body, PublicationFaults faults) {
        var message = messages.get(token);
        if (message == null || message.deleted) {
            return Answer.error(404, "The sharing_message_token " + token + " is invalid");
        }
        var sharing = requestNode(body).map(r -> r.get("sharing_message")).filter(JsonNode::isObject);
        if (sharing.isEmpty()) {
            return Answer.error(400, "The request must contain a request.sharing_message object");
        }
        var targets = targets(sharing.get());
        if (targets.error() != null) {
            return targets.error();
        }
        var created = publishTo(message, targets.identities(), faults, targets.token());
        if (created.stream().noneMatch(Publication::succeeded)) {
            return allFailed(created);
        }
        return Answer.success(statusOf(created), messageData(message, created), null);
    }

    Answer read(String token) {
        var message = messages.get(token);
        if (message == null || message.deleted) {
            return Answer.error(404, "The sharing_message_token " + token + " is invalid");
        }
        List<Publication> all;
        synchronized (message.publications) {
            all = List.copyOf(message.publications);
        }
        return new Answer(200, messageData(message, all), null, false, null, 0, false);
    }

    Answer delete(String token, boolean confirmed) {
        if (!confirmed) {
            return Answer.error(400, "The parameter confirm_deletion=true is required to delete a sharing_message");
        }
        var message = messages.get(token);
        if (message == null || message.deleted) {
            return Answer.error(404, "The sharing_message_token " + token + " is invalid");
        }
        message.deleted = true;
        return Answer.success(200, null, "The specified sharing_message has successfully been removed");
    }

    Answer list(int page, int entriesPerPage, boolean descending) {
        var all = messages.values().stream().filter(m -> !m.deleted)
                .sorted((a, b) -> descending ? b.created.compareTo(a.created) : a.created.compareTo(b.created))
                .toList();
        int perPage = entriesPerPage < 1 || entriesPerPage > 500 ? 250 : entriesPerPage;
        int current = Math.max(page, 1);
        int totalPages = Math.max(1, (all.size() + perPage - 1) / perPage);
        var list = JSON.objectNode();
        var pagination = list.putObject("pagination");
        pagination.put("current_page", current).put("total_pages", totalPages)
                .put("entries_per_page", perPage).put("total_entries", all.size());
        pagination.putObject("order").put("field", "date_creation").put("direction", descending ? "desc" : "asc");
        var pageEntries = all.stream().skip((long) (current - 1) * perPage).limit(perPage).toList();
        list.put("count", pageEntries.size());
        if (!pageEntries.isEmpty()) {
            var entries = list.putArray("entries");
            for (var message : pageEntries) {
                entries.addObject().put("sharing_message_token", message.token)
                        .put("date_creation", Rfc2822.format(message.created))
                        .put("date_last_published", Rfc2822.format(message.lastPublished));
            }
        }
        var data = JSON.objectNode();
        data.set("sharing_messages", list);
        return new Answer(200, data, null, false, null, 0, false);
    }

    // --- Push API ----------------------------------------------------------------------------

    Answer push(String identityToken, String endpointPath, JsonNode body) {
        var endpoint = PushEndpoint.parse(endpointPath);
        if (endpoint.isEmpty()) {
            return Answer.error(404, "The resource /push/identities/<identity_token>/" + endpointPath + ".json does not exist");
        }
        var push = requestNode(body).map(r -> r.get("push")).filter(p -> p.isObject() && p.size() > 0);
        if (push.isEmpty()) {
            return Answer.error(400, "The request must contain a request.push object");
        }
        var provider = endpoint.get().endpoint().provider();
        var identity = identities.get(identityToken);
        if (identity == null && autoProvision) {
            identity = addIdentity(identityToken, provider, null);
        }
        if (identity == null) {
            return Answer.error(404, "The identity_token " + identityToken + " is invalid");
        }
        if (!identity.provider().equals(provider)) {
            return Answer.error(403, "The identity " + identityToken + " is a " + identity.provider()
                    + " identity and cannot be used with the " + provider + " endpoint");
        }
        var refusal = ProviderRules.check(endpoint.get().endpoint(), push.get());
        if (refusal != null) {
            return Answer.error(refusal.status(), refusal.info());
        }
        var postId = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999_999L));
        var data = JSON.objectNode()
                .put("provider", provider)
                .put("object", endpoint.get().endpoint().object())
                .put("post_id", postId)
                .put("post_location", ProviderRules.location(provider, postId));
        return Answer.success(200, data, null);
    }

    // --- helpers -----------------------------------------------------------------------------

    private record Targets(List<Identity> identities, String token, Answer error) {}

    private Targets targets(JsonNode sharing) {
        var forUser = sharing.get("publish_for_user");
        var forIdentity = sharing.get("publish_for_identity");
        if ((forUser == null) == (forIdentity == null)) {
            return new Targets(null, null, Answer.error(400,
                    "Exactly one of publish_for_user and publish_for_identity must be given"));
        }
        if (forIdentity != null) {
            var token = text(forIdentity.path("identity_token")).orElse(null);
            if (!Tokens.isToken(token)) {
                return new Targets(null, null, Answer.error(400, "publish_for_identity.identity_token is not a valid token"));
            }
            var identity = identities.get(token);
            if (identity == null && autoProvision) {
                identity = addIdentity(token, "facebook", null);
            }
            if (identity == null) {
                return new Targets(null, token, Answer.error(404, "The identity_token " + token + " is invalid"));
            }
            return new Targets(List.of(identity), token, null);
        }
        var userToken = text(forUser.path("user_token")).orElse(null);
        if (!Tokens.isToken(userToken)) {
            return new Targets(null, null, Answer.error(400, "publish_for_user.user_token is not a valid token"));
        }
        var providers = providers(forUser.get("providers"));
        if (providers.isEmpty()) {
            return new Targets(null, userToken, Answer.error(400, "publish_for_user.providers must name at least one provider"));
        }
        var result = new ArrayList<Identity>();
        for (var provider : providers) {
            if (!Providers.isKnown(provider)) {
                return new Targets(null, userToken, Answer.error(400, "The provider " + provider + " is not supported"));
            }
            var userIdentities = usersIdentities.get(userToken);
            var identityToken = userIdentities == null ? null : userIdentities.get(provider);
            if (identityToken == null && !autoProvision) {
                result.add(new Identity(null, provider, userToken));
                continue;
            }
            result.add(identityToken == null ? addIdentity(UUID.randomUUID().toString(), provider, userToken)
                    : identities.get(identityToken));
        }
        return new Targets(result, userToken, null);
    }

    private List<Publication> publishTo(Message message, List<Identity> targets, PublicationFaults faults, String token) {
        var now = clock.instant();
        var created = new ArrayList<Publication>();
        boolean tracking = isTrackingEnabled(message.parts);
        for (var identity : targets) {
            int failure = identity.identityToken() == null ? 404 : faults.statusFor(token, identity.provider());
            if (failure != 0) {
                created.add(new Publication(identity.provider(), identity.userToken(), identity.identityToken(), now,
                        failure, failureMessage(identity, failure), List.of()));
                continue;
            }
            var shortUrls = tracking ? shorten(message.parts, now) : List.<ShortUrl>of();
            created.add(new Publication(identity.provider(), identity.userToken(), identity.identityToken(), now,
                    200, "Published", shortUrls));
        }
        synchronized (message.publications) {
            message.publications.addAll(created.stream().filter(Publication::succeeded).toList());
        }
        if (created.stream().anyMatch(Publication::succeeded)) {
            message.lastPublished = now;
        }
        return created;
    }

    private static String failureMessage(Identity identity, int code) {
        if (identity.identityToken() == null) {
            return "The user has no " + identity.provider() + " identity";
        }
        return "The " + identity.provider() + " API answered " + code + " (sandbox fault)";
    }

    private static int statusOf(List<Publication> created) {
        return created.stream().allMatch(Publication::succeeded) ? 200 : 207;
    }

    /** No publication succeeded: the whole request fails with the first publication's status, and no message is kept. */
    private Answer allFailed(List<Publication> created) {
        var first = created.get(0);
        return Answer.error(first.code(), "Publishing failed for every provider: " + first.message());
    }

    private List<ShortUrl> shorten(ObjectNode parts, Instant now) {
        var urls = new LinkedHashSet<String>();
        var matcher = URL.matcher(text(parts.path("text").path("body")).orElse(""));
        while (matcher.find()) {
            urls.add(matcher.group());
        }
        text(parts.path("link").path("url")).ifPresent(urls::add);
        var random = ThreadLocalRandom.current();
        var shortUrls = new ArrayList<ShortUrl>();
        for (var url : urls) {
            var token = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                token.append(BASE62.charAt(random.nextInt(BASE62.length())));
            }
            shortUrls.add(new ShortUrl(token.toString(), url, now, random.nextLong(500, 5_000)));
        }
        return shortUrls;
    }

    private ObjectNode messageData(Message message, List<Publication> publications) {
        var node = JSON.objectNode();
        node.put("sharing_message_token", message.token)
                .put("date_creation", Rfc2822.format(message.created))
                .put("date_last_published", Rfc2822.format(message.lastPublished));
        node.set("parts", message.parts);
        var entries = node.putArray("publications");
        var now = clock.instant();
        for (var publication : publications) {
            var entry = entries.addObject()
                    .put("provider", publication.provider())
                    .put("user_token", publication.userToken());
            if (publication.identityToken() != null) {
                entry.put("identity_token", publication.identityToken());
            }
            entry.put("date_publication", Rfc2822.format(publication.date()));
            entry.putObject("status")
                    .put("flag", publication.succeeded() ? "success" : "error")
                    .put("code", publication.code())
                    .put("message", publication.message());
            if (!publication.shortUrls().isEmpty()) {
                trackedShortUrls(entry.putArray("tracked_shorturls"), publication.shortUrls(), now);
            }
        }
        var data = JSON.objectNode();
        data.set("sharing_message", node);
        return data;
    }

    /** Referrals grow with time, each short URL at its own pace, so that a later read shows more clicks. */
    private static void trackedShortUrls(ArrayNode array, List<ShortUrl> shortUrls, Instant now) {
        for (var shortUrl : shortUrls) {
            long referrals = Math.max(0, now.toEpochMilli() - shortUrl.created().toEpochMilli()) / shortUrl.millisPerReferral();
            var node = array.addObject().putObject("shorturl")
                    .put("shorturl_token", shortUrl.token())
                    .put("original_url", shortUrl.originalUrl())
                    .put("short_url", "http://oal.lu/" + shortUrl.token())
                    .put("date_creation", Rfc2822.format(shortUrl.created()));
            if (referrals > 0) {
                node.put("date_last_referral", Rfc2822.format(
                        shortUrl.created().plusMillis(referrals * shortUrl.millisPerReferral())));
            }
            node.put("num_referrals", Long.toString(referrals));
        }
    }

    private static boolean isTrackingEnabled(JsonNode parts) {
        var flag = parts.path("flags").path("enable_tracking");
        return flag.asInt(0) == 1 || "1".equals(flag.asText());
    }

    private static Set<String> providers(JsonNode node) {
        var providers = new LinkedHashSet<String>();
        if (node != null && node.isTextual()) {
            providers.add(node.asText());
        } else if (node != null && node.isArray()) {
            node.forEach(p -> providers.add(p.asText()));
        }
        return providers;
    }

    static Optional<JsonNode> requestNode(JsonNode body) {
        return Optional.ofNullable(body).map(b -> b.get("request")).filter(JsonNode::isObject);
    }

    static Optional<String> text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }
}
