package io.herald.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/** What became of one call to OneAll, before it is classified. Never carries the site's keys. */
public sealed interface CallResult {

    /** The HTTP status of what answered (OneAll or not), or null when nothing answered. */
    default Integer answeredStatus() {
        return this instanceof Answered answered
                ? Integer.valueOf(answered.httpStatus())
                : this instanceof NotOneAll other ? Integer.valueOf(other.httpStatus()) : null;
    }

    /**
     * OneAll answered with its envelope.
     *
     * @param httpStatus the HTTP status
     * @param flag       {@code response.request.status.flag}: {@code success} or {@code error}, or null when missing
     * @param info       {@code response.request.status.info}, or null
     * @param data       {@code response.result.data}, sanitised (no NUL, bounded lengths), or null
     * @param retryAfter the {@code Retry-After} header, when present and readable
     * @param raw        the body as received, when sanitising changed it; else null
     */
    record Answered(int httpStatus, String flag, String info, JsonNode data, Optional<Duration> retryAfter, byte[] raw)
            implements CallResult {
        public Answered(int httpStatus, String flag, String info, JsonNode data, Optional<Duration> retryAfter) {
            this(httpStatus, flag, info, data, retryAfter, null);
        }
    }

    /**
     * Something answered, but not with OneAll's envelope: a proxy's page, an empty body, broken JSON.
     *
     * @param excerpt the start of the body, sanitised, for the attempt's record
     */
    record NotOneAll(int httpStatus, String contentType, String excerpt, Optional<Duration> retryAfter)
            implements CallResult {}

    /**
     * The request never left this worker (no connection could be made, or it was not sent in time): safe to send again.
     *
     * @param late the worker itself held it back, its claim too old to send (it froze, or waited for a connection):
     *     nothing about OneAll, so it does not count towards OneAll's outage
     */
    record NotSent(String reason, boolean late) implements CallResult {
        public NotSent(String reason) {
            this(reason, false);
        }
    }

    /** The request may have reached OneAll, but no answer came (timeout, connection lost after sending). */
    record MaybeSent(String reason) implements CallResult {}
}
