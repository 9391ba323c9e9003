package io.herald.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** A sharing message as OneAll's read page shows it ({@code result.data.sharing_message}), and its list summary. */
final class MessageJson {
    private MessageJson() {}

    /** {@code {"sharing_message": {...}}} with the given publications, in the seed page's layout. */
    static ObjectNode data(Message message, List<Publication> publications, Instant now) {
        var node = summary(message);
        node.set("parts", message.parts);
        var entries = node.putArray("publications");
        for (var publication : publications) {
            publication(entries.addObject(), publication, now);
        }
        var data = Json.NODES.objectNode();
        data.set("sharing_message", node);
        return data;
    }

    /** The entry of a message in the list: token and dates only. */
    static ObjectNode summary(Message message) {
        return Json.NODES
                .objectNode()
                .put("sharing_message_token", message.token)
                .put("date_creation", Rfc2822.format(message.created))
                .put("date_last_published", Rfc2822.format(message.lastPublished()));
    }

    private static void publication(ObjectNode entry, Publication publication, Instant now) {
        entry.put("provider", publication.provider()).put("user_token", publication.userToken());
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

    /** Referrals grow with time, each short URL at its own pace, so that a later read shows more clicks. */
    private static void trackedShortUrls(ArrayNode array, List<ShortUrl> shortUrls, Instant now) {
        for (var shortUrl : shortUrls) {
            long referrals =
                    Math.max(0, now.toEpochMilli() - shortUrl.created().toEpochMilli()) / shortUrl.millisPerReferral();
            var node = array.addObject()
                    .putObject("shorturl")
                    .put("shorturl_token", shortUrl.token())
                    .put("original_url", shortUrl.originalUrl())
                    .put("short_url", "http://oal.lu/" + shortUrl.token())
                    .put("date_creation", Rfc2822.format(shortUrl.created()));
            if (referrals > 0) {
                node.put(
                        "date_last_referral",
                        Rfc2822.format(shortUrl.created().plusMillis(referrals * shortUrl.millisPerReferral())));
            }
            node.put("num_referrals", Long.toString(referrals));
        }
    }
}
