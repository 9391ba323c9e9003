package io.herald.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** A sharing message as OneAll's read page shows it ({@code result.data.sharing_message}), and its list summary. */
final class MessageJson {
    private MessageJson() {}

    /**
     * {@code {"sharing_message": {...}}} with the given publications, in the seed page's layout. The publications are
     * written only when the answer is rendered: {@link Anomalies} reads the answer back as a tree to distort it.
     */
    static ObjectNode data(Message message, List<Publication> publications, Instant now) {
        var node = summary(message);
        node.set("parts", message.parts);
        node.putPOJO("publications", new PublicationsJson(publications, now));
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
}
