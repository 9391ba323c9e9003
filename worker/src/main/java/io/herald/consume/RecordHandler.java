package io.herald.consume;

import java.util.concurrent.CompletionStage;

/**
 * What the poll loop drives, per account one at a time: a consumed record; a record of an account that waits in the
 * ledger (it parks behind); the drain of an account's parked commands when they are due; a scheduled command that
 * comes due. A drain or a scheduled command says what it loads from the ledger to its {@link Holding}, and stops
 * between two commands once the holding is no longer {@linkplain Holding#owned() owned} (the partition was revoked).
 */
public interface RecordHandler {
    CompletionStage<Disposition> handle(Delivery delivery);

    CompletionStage<Disposition> parkBehind(Delivery delivery);

    CompletionStage<Disposition> drain(String topic, int partition, long epoch, String routingKey, Holding holding);

    CompletionStage<Disposition> scheduled(String topic, int partition, long epoch, String commandId, Holding holding);
}
