package io.herald.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.ErrorClass;
import io.herald.schema.DeadLetterHeaders;
import io.herald.store.OutcomeRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters as contract §3 shapes them: the original value byte for byte, the original key, and
 * headers of provenance. The same facts go to the {@code dead_letters} table.
 */
public final class DeadLetters {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERROR_LENGTH = 2_000;

    private DeadLetters() {}

    /** The headers of a dead letter, in order, as UTF-8 strings. */
    public static Map<String, String> headers(ConsumerRecord<byte[], byte[]> original, ErrorClass errorClass, String error,
            int attempts, Integer httpStatus, Instant failedAt) {
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

    public static OutcomeRecord.DeadLetterRecord record(ConsumerRecord<byte[], byte[]> original, Map<String, String> headers,
            ErrorClass errorClass, int attempts, Integer httpStatus, Instant failedAt) {
        try {
            return new OutcomeRecord.DeadLetterRecord(original.key(), original.value(), MAPPER.writeValueAsString(headers),
                    errorClass.wireName(), headers.get(DeadLetterHeaders.ERROR), httpStatus, attempts, original.topic(),
                    original.partition(), original.offset(), failedAt);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ProducerRecord<byte[], byte[]> producerRecord(String topic, ConsumerRecord<byte[], byte[]> original,
            Map<String, String> headers) {
        var kafkaHeaders = new RecordHeaders();
        headers.forEach((name, value) -> kafkaHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, null, original.key(), original.value(), kafkaHeaders);
    }

    static String truncate(String error) {
        var clean = error == null ? "" : error.replaceAll("[\\r\\n]+", " ");
        return clean.length() > MAX_ERROR_LENGTH ? clean.substring(0, MAX_ERROR_LENGTH) + "..." : clean;
    }
}
