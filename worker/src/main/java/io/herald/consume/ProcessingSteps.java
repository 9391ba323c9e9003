package io.herald.consume;

import io.herald.process.Disposition;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the poll loop drives: process a record, park one behind its account's waiting command, drain an account's parked ones. */
public interface ProcessingSteps {
    CompletionStage<Disposition> process(ConsumerRecord<byte[], byte[]> record);

    CompletionStage<Disposition> park(ConsumerRecord<byte[], byte[]> record);

    /** Drains an account's parked commands while {@code owned} holds: a revoked partition's drain stops between two commands. */
    CompletionStage<Disposition> drain(String topic, int partition, byte[] key, java.util.function.BooleanSupplier owned);
}
