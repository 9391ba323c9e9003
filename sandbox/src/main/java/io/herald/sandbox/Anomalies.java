package io.herald.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How each {@link Anomaly} changes an answer: replaces it before the site is touched, or distorts it after. */
final class Anomalies {
    /** What a reverse proxy in front of OneAll may answer, with HTTP 200, when the API behind it is away. */
    static final String HTML_PAGE = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    private Anomalies() {}

    /** Distorts a successful answer whose effect was carried out; an answer the anomaly does not fit is kept as it is. */
    static Answer distort(Anomaly anomaly, Answer answer) {
        if (!answer.succeeded() || answer.data() == null) {
            return answer;
        }
        var data = Json.tree(answer.data());
        boolean push = data.has("post_id");
        var message = data.path("sharing_message");
        boolean fits = switch (anomaly) {
            case NUL_CHARACTER ->
                push ? nulInPostId(data) : message.isObject() && nulInPublications((ObjectNode) message);
            case MISSING_MESSAGE_TOKEN ->
                message.isObject() && ((ObjectNode) message).remove("sharing_message_token") != null;
            case LONG_POST_ID -> push && data.put("post_id", "9".repeat(Anomaly.LONG_POST_ID_LENGTH)) != null;
            case HTML_PAGE, ERROR_FLAG -> false;
        };
        return fits ? answer.distorted(anomaly, data) : answer;
    }

    private static boolean nulInPostId(ObjectNode data) {
        var postId = data.path("post_id").asText();
        data.put(
                "post_id", postId.substring(0, postId.length() / 2) + '\u0000' + postId.substring(postId.length() / 2));
        return true;
    }

    private static boolean nulInPublications(ObjectNode message) {
        var publications = message.path("publications");
        publications.forEach(publication -> {
            var status = (ObjectNode) publication.path("status");
            status.put("message", status.path("message").asText() + "\u0000");
        });
        return !publications.isEmpty();
    }
}
