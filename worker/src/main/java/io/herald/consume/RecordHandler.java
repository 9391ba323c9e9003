package io.herald.consume;

import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * What the poll loop drives, per account one at a time: a consumed record; a record of an account that waits in the
 * ledger (it parks behind); the drain of an account's parked commands when they are due; a scheduled command that
 * comes due. {@code owned} turns false when the partition is revoked: a drain then stops between two commands.
 */
public interface RecordHandler {
    CompletionStage<Disposition> handle(Delivery delivery);

    CompletionStage<Disposition> parkBehind(Delivery delivery);

    CompletionStage<Disposition> drain(
            String topic, int partition, long epoch, String routingKey, BooleanSupplier owned);

    CompletionStage<Disposition> scheduled(
            String topic, int partition, long epoch, String commandId, BooleanSupplier owned);
}
