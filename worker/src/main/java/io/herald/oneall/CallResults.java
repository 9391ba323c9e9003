package io.herald.oneall;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.api.CallResult;
import io.herald.command.api.Sanitizer;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpResponseHead;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** What a call's exchange came to: OneAll's envelope read and sanitised, or a failure said as sent or not. */
final class CallResults {
    private CallResults() {}

    /**
     * OneAll's envelope, read and sanitised; anything else is {@link CallResult.NotOneAll}, a body past {@link OneAllClient#MAX_BODY}
     * among them (of which only its head was kept).
     */
    static CallResult read(HttpResponseHead response, CappedBody.Body body, Clock clock, String target) {
        var retryAfter = RetryAfter.parse(response.getHeader("Retry-After"), clock);
        var bytes = body == null ? new byte[0] : body.bytes().getBytes();
        JsonNode envelope = null;
        if (bytes.length > 0 && body.whole()) {
            try {
                envelope = EnvelopeReader.read(bytes, target);
            } catch (IOException e) {
                envelope = null;
            }
        }
        var status = envelope == null
                ? null
                : envelope.path("response").path("request").path("status");
        if (status == null || !status.isObject()) {
            var excerpt = Sanitizer.clean(
                            new String(bytes, 0, Math.min(bytes.length, Exchange.EXCERPT), StandardCharsets.UTF_8))
                    .replaceAll("\\s+", " ");
            return new CallResult.NotOneAll(
                    response.statusCode(), response.getHeader("Content-Type"), excerpt, retryAfter);
        }
        var data = envelope.path("response").path("result").path("data");
        var clean = data.isMissingNode() || data.isNull() ? null : Sanitizer.clean(data);
        return new CallResult.Answered(
                response.statusCode(),
                Sanitizer.clean(status.path("flag").asText(null)),
                Sanitizer.clean(status.path("info").asText(null)),
                clean,
                retryAfter,
                clean == data ? null : bytes);
    }

    /** Only a failure to connect proves the request was not sent; anything later may have reached OneAll. */
    static CallResult failure(Throwable cause, boolean sent) {
        var message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        boolean connectFailure = cause instanceof ConnectException
                || cause instanceof ConnectTimeoutException
                || cause instanceof UnknownHostException
                || cause.getCause() instanceof ConnectException;
        return !sent || connectFailure ? new CallResult.NotSent(message) : new CallResult.MaybeSent(message);
    }
}
