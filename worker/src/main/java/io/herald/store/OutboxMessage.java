package io.herald.store;

import java.util.Map;

/**
 * A Kafka record to send once the ledger change it belongs to is committed: a dead letter, an outcome event, a command
 * produced again. Its record carries {@code recordHeaders} (the original record's, as they came) first, then Herald's
 * own {@code headers}, which replace any of the same name.
 */
public record OutboxMessage(
        String topic, byte[] key, byte[] value, Map<String, String> headers, RecordHeaders recordHeaders) {
    public OutboxMessage {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        recordHeaders = recordHeaders == null ? RecordHeaders.NONE : recordHeaders;
    }

    /** A record with Herald's headers only. */
    public OutboxMessage(String topic, byte[] key, byte[] value, Map<String, String> headers) {
        this(topic, key, value, headers, RecordHeaders.NONE);
    }
}
