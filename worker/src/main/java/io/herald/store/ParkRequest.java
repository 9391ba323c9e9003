package io.herald.store;

import java.time.Instant;

/**
 * A command put in the parking table without a call: behind its account's waiting command ({@code behind}), or
 * until {@code dueAt} (its schedule, or a retry another worker recorded), with its record's headers.
 */
public record ParkRequest(
        CommandRef command,
        Source source,
        byte[] payload,
        Instant dueAt,
        boolean scheduled,
        boolean behind,
        RecordHeaders headers) {
    public ParkRequest {
        headers = headers == null ? RecordHeaders.NONE : headers;
    }

    /** A command whose record had no headers. */
    public ParkRequest(
            CommandRef command, Source source, byte[] payload, Instant dueAt, boolean scheduled, boolean behind) {
        this(command, source, payload, dueAt, scheduled, behind, RecordHeaders.NONE);
    }
}
