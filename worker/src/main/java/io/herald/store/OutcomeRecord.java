package io.herald.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Everything recorded when a call to OneAll (or a decision not to make one) ends, written in one
 * transaction with the others of its batch.
 *
 * @param status        the command's new status; {@code pending} when it waits for a retry
 * @param attempt       the call made, or null when none was (invalid, unknown outcome found)
 * @param effect        what OneAll did that reporting tables keep, or null
 * @param deadLetter    the dead letter, or null
 * @param insertCommand the command has no row yet (an invalid command): insert it unless one exists
 * @param progress      what the command achieved so far, kept for its retries (null keeps what was there)
 */
public record OutcomeRecord(String commandId, String type, String routingKey, String campaignId, String status,
        AttemptRecord attempt, String lastError, String lastErrorClass, JsonNode result, Instant nextAttemptAt,
        Effect effect, DeadLetterRecord deadLetter, boolean insertCommand, JsonNode progress) {

    /** One call to OneAll. */
    public record AttemptRecord(int attempt, String workerId, Instant startedAt, long durationMs, Integer httpStatus,
            String flag, String info, String errorClass, String error) {}

    /** What a call changed on OneAll's side, for the reporting tables. */
    public sealed interface Effect {
        /** A publish or re-publish: the message and its new publications (from {@code result.data}). */
        record Published(String sharingMessageToken, JsonNode parts, JsonNode data, boolean isNewMessage) implements Effect {}

        /** A push: the post made for one identity. */
        record Pushed(String identityToken, String endpoint, JsonNode data) implements Effect {}

        record Deleted(String sharingMessageToken) implements Effect {}

        /** A refresh: the message as read now, with its referral counts. */
        record Refreshed(String sharingMessageToken, JsonNode data) implements Effect {}
    }

    /** A dead letter as it goes to the dead-letter topic. */
    public record DeadLetterRecord(byte[] key, byte[] value, String headersJson, String errorClass, String error,
            Integer httpStatus, int attempts, String topic, int partition, long offset, Instant failedAt) {}
}
