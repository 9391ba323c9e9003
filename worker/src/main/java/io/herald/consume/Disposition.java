package io.herald.consume;

import io.herald.command.Ending;

/** Where processing left a record. */
public sealed interface Disposition {
    Disposition DONE = new Done();

    /** Where a decision's {@code ending} leaves the record of command {@code commandId} of account {@code routingKey}. */
    static Disposition of(Ending ending, String commandId, String routingKey) {
        if (ending instanceof Ending.Done) {
            return DONE;
        } else if (ending instanceof Ending.Parked parked) {
            return new Parked(parked.dueAt());
        } else if (ending instanceof Ending.Scheduled scheduled) {
            return new Scheduled(commandId, routingKey, scheduled.dueAt());
        } else if (ending instanceof Ending.Dropped dropped) {
            return new Dropped(dropped.why());
        }
        throw new IllegalArgumentException("a record processed no further is left somewhere, not " + ending);
    }

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
