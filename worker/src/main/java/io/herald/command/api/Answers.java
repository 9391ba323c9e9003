package io.herald.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one reader of what OneAll answers ({@code result.data}), into typed records, leniently: every layout its
 * documentation and SDKs show is read (docs/oneall.md), a missing or odd field is a null, never a failure.
 */
public final class Answers {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Answers() {}

    /** The sharing message of a publish, re-publish or read answer, or of a {@code sharing_message} node itself. */
    public static Optional<SharingMessage> message(JsonNode dataOrMessage) {
        if (dataOrMessage == null || !dataOrMessage.isObject()) {
            return Optional.empty();
        }
        var message = dataOrMessage.has("sharing_message") ? dataOrMessage.get("sharing_message") : dataOrMessage;
        if (!message.isObject()) {
            return Optional.empty();
        }
        var publications = new ArrayList<Publication>();
        for (var entry : entries(message.path("publications"))) {
            publications.add(publication(entry));
        }
        var parts = message.get("parts");
        var count = message.path("publications").path("count");
        return Optional.of(new SharingMessage(
                text(message, "sharing_message_token"),
                OneAllDates.parse(text(message, "date_creation")),
                OneAllDates.parse(text(message, "date_last_published")),
                parts != null && parts.isObject() ? parts : null,
                publications,
                count.canConvertToInt() && count.isNumber() ? count.asInt() : null));
    }

    /** A call's answer with the target's publications only (what is recorded and announced); else the result itself. */
    public static CallResult narrowed(CallResult result, String target) {
        if (target == null || !(result instanceof CallResult.Answered answered) || answered.data() == null) {
            return result;
        }
        var data = narrowed(answered.data(), target);
        return data == answered.data()
                ? result
                : new CallResult.Answered(
                        answered.httpStatus(),
                        answered.flag(),
                        answered.info(),
                        data,
                        answered.retryAfter(),
                        answered.raw());
    }

    /**
     * The answer with only the publications of one user or identity: what a publish or re-publish for it is recorded and
     * announced with. A re-publish answer may list the whole message, a publication per recipient of a campaign; keeping
     * them all with every recipient's outcome would grow each record with the campaign. Layout and other fields stay;
     * only the objects on the way to the list are copied, the entries kept are shared with {@code data}.
     */
    public static JsonNode narrowed(JsonNode data, String target) {
        if (data == null || !data.path("sharing_message").isObject() || target == null) {
            return data;
        }
        var message = (ObjectNode) data.get("sharing_message");
        var publications = message.get("publications");
        var list = publications == null ? null : publications.isArray() ? publications : publications.get("entries");
        if (list == null || !list.isArray()) {
            return data;
        }
        var kept = JsonNodeFactory.instance.arrayNode();
        for (var entry : list) {
            if (isOf(entry, target)) {
                kept.add(entry);
            }
        }
        if (kept.size() == list.size()) {
            return data;
        }
        var copiedMessage = shallowCopy(message);
        if (publications.isArray()) {
            copiedMessage.set("publications", kept);
        } else {
            copiedMessage.set(
                    "publications", shallowCopy((ObjectNode) publications).set("entries", kept));
        }
        return shallowCopy((ObjectNode) data).set("sharing_message", copiedMessage);
    }

    /** Whether a publication entry is of the user or identity {@code target}. */
    static boolean isOf(JsonNode entry, String target) {
        return target.equals(entry.path("user_token").asText(null))
                || target.equals(entry.path("identity_token").asText(null));
    }

    private static ObjectNode shallowCopy(ObjectNode node) {
        var copy = JsonNodeFactory.instance.objectNode();
        node.properties().forEach(field -> copy.set(field.getKey(), field.getValue()));
        return copy;
    }

    /** What a push made, or empty when the answer has none of its fields. */
    public static Optional<PushPost> push(JsonNode data) {
        if (data == null || !data.isObject()) {
            return Optional.empty();
        }
        var post = new PushPost(
                text(data, "provider"), text(data, "object"), text(data, "post_id"), text(data, "post_location"));
        return post.provider() == null && post.postId() == null && post.postLocation() == null
                ? Optional.empty()
                : Optional.of(post);
    }

    /** A page of the message list ({@code result.data.sharing_messages}). */
    public static MessagePage messagePage(JsonNode data) {
        var list = data == null ? null : data.path("sharing_messages");
        if (list == null || !list.isObject()) {
            return new MessagePage(1, 0, 0, 0, List.of(), false);
        }
        var summaries = new ArrayList<MessagePage.Summary>();
        for (var entry : entries(list)) {
            summaries.add(new MessagePage.Summary(
                    text(entry, "sharing_message_token"),
                    OneAllDates.parse(text(entry, "date_creation")),
                    OneAllDates.parse(text(entry, "date_last_published"))));
        }
        var pagination = list.path("pagination");
        return new MessagePage(
                pagination.path("current_page").asInt(1),
                pagination.path("total_pages").asInt(summaries.isEmpty() ? 0 : 1),
                pagination.path("entries_per_page").asInt(summaries.size()),
                pagination.path("total_entries").asInt(list.path("count").asInt(summaries.size())),
                summaries,
                pagination.isObject());
    }

    /** A page of the message list, or empty when the answer has no list ({@code result.data.sharing_messages}). */
    public static Optional<MessagePage> listedPage(JsonNode data) {
        return data != null && data.path("sharing_messages").isObject()
                ? Optional.of(messagePage(data))
                : Optional.empty();
    }

    /**
     * The parts of the sharing message an answer shows, as OneAll sent them: read again from the body as received when
     * sanitising changed the answer (a text longer than {@link Sanitizer#MAX_TEXT} is cut in {@code data}).
     */
    public static JsonNode partsAsSent(CallResult.Answered answered) {
        if (answered.raw() != null) {
            try {
                var data = MAPPER.readTree(answered.raw())
                        .path("response")
                        .path("result")
                        .path("data");
                var parts = message(data).map(SharingMessage::parts);
                if (parts.isPresent()) {
                    return parts.get();
                }
            } catch (IOException e) {
                // the sanitised answer's parts below
            }
        }
        return message(answered.data()).map(SharingMessage::parts).orElse(null);
    }

    private static Publication publication(JsonNode entry) {
        var status = entry.path("status");
        var shortUrls = new ArrayList<ShortUrl>();
        var tracked = entry.path("tracked_shorturls");
        if (tracked.isArray()) {
            tracked.forEach(item -> shortUrls.add(shortUrl(item.has("shorturl") ? item.get("shorturl") : item)));
        }
        for (var item : entries(entry.path("shorturls"))) {
            shortUrls.add(shortUrl(item));
        }
        shortUrls.removeIf(url -> url.token() == null);
        return new Publication(
                Optional.ofNullable(text(entry, "provider")).orElse("unknown"),
                text(entry, "user_token"),
                text(entry, "identity_token"),
                OneAllDates.parse(text(entry, "date_publication")),
                status.isObject() ? Optional.ofNullable(text(status, "flag")).orElse("success") : "success",
                status.path("code").isNumber() ? status.path("code").asInt() : null,
                text(status, "message"),
                shortUrls);
    }

    private static ShortUrl shortUrl(JsonNode node) {
        return new ShortUrl(
                text(node, "shorturl_token"),
                text(node, "original_url"),
                text(node, "short_url"),
                OneAllDates.parse(text(node, "date_creation")),
                OneAllDates.parse(text(node, "date_last_referral")),
                referrals(node));
    }

    /** {@code num_referrals} is a string in OneAll's documented example and may be a number elsewhere. */
    private static long referrals(JsonNode node) {
        var value = node.path("num_referrals");
        if (value.isNumber()) {
            return Math.max(0, value.asLong());
        }
        var text = value.asText("0").trim();
        return text.matches("\\d{1,18}") ? Long.parseLong(text) : 0;
    }

    /** A list as OneAll shows lists: a bare array, or {@code {count, entries}} (no entries when empty). */
    private static List<JsonNode> entries(JsonNode list) {
        var array = list.isArray() ? list : list.path("entries");
        var entries = new ArrayList<JsonNode>();
        if (array.isArray()) {
            array.forEach(entry -> {
                if (entry.isObject()) {
                    entries.add(entry);
                }
            });
        }
        return entries;
    }

    private static String text(JsonNode node, String field) {
        var value = node == null ? null : node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
