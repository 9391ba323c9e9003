package io.herald.consume;

/** Where processing left a record. */
public sealed interface Disposition {
    Disposition DONE = new Done();

    /** Everything about it is durable: its offset may be committed. */
    record Done() implements Disposition {}

    /**
     * It waits in the ledger: its offset may be committed, and its account's later records park behind it. Its account
     * is due at {@code dueAt}, or, when null, whenever the command heading it is (it parked behind).
     */
    record Parked(java.time.Instant dueAt) implements Disposition {}

    /**
     * It waits in the ledger on its own until {@code dueAt} (its {@code not_before}): its offset may be committed, its
     * account is not held, and the poll loop sets a timer for it when it is due soon enough.
     */
    record Scheduled(String commandId, String routingKey, java.time.Instant dueAt) implements Disposition {}

    /** It was left to the partition's new owner: its offset must not be committed by this worker. */
    record Dropped(String why) implements Disposition {}
}
