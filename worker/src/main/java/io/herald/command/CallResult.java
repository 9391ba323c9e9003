package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/** What became of one call to OneAll, before it is classified. */
public sealed interface CallResult {

    /**
     * OneAll answered.
     *
     * @param httpStatus the HTTP status
     * @param flag       {@code response.request.status.flag}, or null when the body was not OneAll's envelope
     * @param info       {@code response.request.status.info}, or null
     * @param data       {@code response.result.data}, or null
     * @param retryAfter the {@code Retry-After} header, when present
     */
    record Answered(int httpStatus, String flag, String info, JsonNode data, Optional<Duration> retryAfter)
            implements CallResult {}

    /** The request never left this worker (no connection could be made): safe to send again. */
    record NotSent(String reason) implements CallResult {}

    /** The request may have reached OneAll, but no answer came (timeout, connection lost after sending). */
    record MaybeSent(String reason) implements CallResult {}
}
