package io.herald.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** OneAll's response envelope: {@code response.request.{date, resource, status}} and, on success, {@code response.result.data}. */
final class Envelope {
    static final String JSON = "application/json; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";

    private Envelope() {}

    static String contentType(Answer answer) {
        return answer.anomaly() == Anomaly.HTML_PAGE ? HTML : JSON;
    }

    static Buffer render(String resource, Answer answer, Instant now) {
        if (answer.anomaly() == Anomaly.HTML_PAGE) {
            return Buffer.buffer(Anomalies.HTML_PAGE.getBytes(StandardCharsets.UTF_8));
        }
        var root = Json.NODES.objectNode();
        var response = root.putObject("response");
        var request = response.putObject("request");
        request.put("date", Rfc2822.format(now)).put("resource", resource);
        boolean success = answer.status() < 300 && answer.anomaly() != Anomaly.ERROR_FLAG;
        request.putObject("status")
                .put("flag", success ? "success" : "error")
                .put("code", answer.status())
                .put("info", answer.info() != null ? answer.info() : infoFor(answer.status()));
        if (answer.data() != null) {
            response.putObject("result").set("data", answer.data());
        }
        try {
            return Buffer.buffer(Json.MAPPER.writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a sandbox answer", e);
        }
    }

    private static String infoFor(int status) {
        return switch (status) {
            case 200 -> "Your request has been processed successfully";
            case 207 -> "The request was partially successful";
            case 429 -> "You have send too many requests in a given amount of time";
            case 500 -> "Unrecoverable error";
            case 502 -> "The API has technical problems or is in maintenance";
            case 503 -> "The API is overloaded with requests";
            default -> "The request could not be processed";
        };
    }
}
