package io.herald.consume;

import io.herald.schema.Validation;
import io.herald.store.RecordHeaders;
import io.herald.store.Source;

/**
 * A record to process, read once: where it came from, the epoch of its partition's lease when it was consumed, and
 * what it holds ({@link Validation}: a valid command, or why it is none).
 *
 * @param position its place in its account when it comes back from the parking table, else null
 * @param headers  the record's headers as they came (its trace context among them), kept with the command
 */
public record Delivery(
        String topic,
        int partition,
        long offset,
        byte[] key,
        byte[] value,
        long epoch,
        Validation validation,
        Long position,
        RecordHeaders headers) {
    public Delivery {
        headers = headers == null ? RecordHeaders.NONE : headers;
    }

    /** Where it came from, as the ledger keeps it: its topic, partition and offset, under its lease's epoch. */
    public Source source() {
        return new Source(topic, partition, offset, epoch);
    }
}
