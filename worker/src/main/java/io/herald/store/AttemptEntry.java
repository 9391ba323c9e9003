package io.herald.store;

import java.time.Instant;

/**
 * One call to OneAll, as the command's attempt log keeps it.
 *
 * @param errorClass the attempt's error class ({@code transient}, {@code permanent}, ...), or null for a success
 * @param rawAnswer  the answer as received when it had to be sanitised before it was stored, else null
 */
public record AttemptEntry(
        int attempt,
        String workerId,
        Instant startedAt,
        long durationMs,
        Integer httpStatus,
        String flag,
        String info,
        String errorClass,
        String error,
        byte[] rawAnswer) {}
