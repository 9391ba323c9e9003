package io.herald.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.ErrorClass;
import io.herald.schema.DeadLetterHeaders;
import io.herald.store.LedgerChange;
import io.herald.store.OutboxMessage;
import io.herald.store.RecordHeaders;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dead letters as docs/commands.md shapes them: the original value byte for byte, the original key, the original
 * headers as they came (its trace context among them, as Spring Kafka's dead-letter recoverer keeps them), and
 * Herald's headers of provenance. The same facts go to the {@code dead_letters} table, in the transaction that dead-letters the command.
 */
public final class DeadLetters {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERROR_LENGTH = 2_000;

    private DeadLetters() {}

    /** Where the dead-lettered record was consumed from, and what it held. */
    public record Original(String topic, int partition, long offset, byte[] key, byte[] value, RecordHeaders headers) {}

    /** The headers of a dead letter, in order, as UTF-8 strings. */
    public static Map<String, String> headers(
            Original original,
            ErrorClass errorClass,
            String error,
            int attempts,
            Integer httpStatus,
            Instant failedAt) {
        var headers = new LinkedHashMap<String, String>();
        headers.put(DeadLetterHeaders.ERROR_CLASS, errorClass.wireName());
        headers.put(DeadLetterHeaders.ERROR, truncate(error));
        headers.put(DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        if (httpStatus != null) {
            headers.put(DeadLetterHeaders.HTTP_STATUS, Integer.toString(httpStatus));
        }
        headers.put(DeadLetterHeaders.ORIGINAL_TOPIC, original.topic());
        headers.put(DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(original.partition()));
        headers.put(DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(original.offset()));
        headers.put(DeadLetterHeaders.FAILED_AT, failedAt.toString());
        return headers;
    }

    /** The dead letter's row and its record on the dead-letter topic. */
    public static LedgerChange.DeadLetterRow row(
            Original original,
            Map<String, String> headers,
            ErrorClass errorClass,
            int attempts,
            Integer httpStatus,
            Instant failedAt) {
        try {
            return new LedgerChange.DeadLetterRow(
                    original.key(),
                    original.value(),
                    MAPPER.writeValueAsString(headers),
                    errorClass,
                    headers.get(DeadLetterHeaders.ERROR),
                    httpStatus,
                    attempts,
                    failedAt,
                    original.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static OutboxMessage message(String topic, Original original, Map<String, String> headers) {
        return new OutboxMessage(topic, original.key(), original.value(), headers, original.headers());
    }

    static String truncate(String error) {
        var clean = error == null ? "" : error.replaceAll("[\\r\\n\\u0000]+", " ");
        return clean.length() > MAX_ERROR_LENGTH ? clean.substring(0, MAX_ERROR_LENGTH) + "..." : clean;
    }
}
