package io.herald.store;

import java.util.Map;

/** A Kafka record to send once the ledger change it belongs to is committed: a dead letter or an outcome event. */
public record OutboxMessage(String topic, byte[] key, byte[] value, Map<String, String> headers) {
    public OutboxMessage {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
