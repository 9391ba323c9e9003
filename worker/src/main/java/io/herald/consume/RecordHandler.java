package io.herald.consume;

import java.util.concurrent.CompletionStage;

/**
 * What the poll loop drives, per account one {@link Item} at a time: a consumed record; a record of an account that
 * waits in the ledger (it parks behind); the drain of an account's parked commands when they are due; a scheduled
 * command that comes due. A drain or a scheduled command says what it loads from the ledger to its {@link Holding},
 * and stops between two commands once the holding is no longer {@linkplain Holding#owned() owned} (the partition was
 * revoked).
 */
public interface RecordHandler {
    CompletionStage<Disposition> handle(Item item);

    /** What the poll loop hands out. */
    sealed interface Item permits Consumed, BehindItsAccount, Drain, Scheduled {}

    /** A record consumed from Kafka whose account waits for nothing. */
    record Consumed(Delivery delivery) implements Item {}

    /** A record consumed from Kafka whose account waits in the ledger: it parks behind. */
    record BehindItsAccount(Delivery delivery) implements Item {}

    /** The account's parked commands are due: they are sent in order. */
    record Drain(String topic, int partition, long epoch, String routingKey, Holding holding) implements Item {}

    /** A scheduled command of the ledger came due. */
    record Scheduled(String topic, int partition, long epoch, String commandId, Holding holding) implements Item {}
}
