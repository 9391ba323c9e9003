package io.herald.command;

import java.time.Instant;
import java.util.Objects;

/**
 * Where carrying out a {@link Decision} leaves the command's record, once what it asks is durable: each decision
 * carries its own ({@link Decision#ending}), and the poll loop's disposition is made from it in one place.
 */
public sealed interface Ending {
    Ending DONE = new Done();
    Ending GOES_ON = new GoesOn();

    /** Everything about it is durable. */
    record Done() implements Ending {}

    /** It waits in the ledger at the head of its account until {@code dueAt}, or, when null, behind its account's head. */
    record Parked(Instant dueAt) implements Ending {}

    /** It waits in the ledger on its own until {@code dueAt} (its {@code not_before}); its account is not held. */
    record Scheduled(Instant dueAt) implements Ending {
        public Scheduled {
            Objects.requireNonNull(dueAt, "a scheduled command has a time");
        }
    }

    /** It is left to the partition's new owner, for {@code why}. */
    record Dropped(String why) implements Ending {}

    /** Not an end: the executor carries the decision out and goes on with what comes of it. */
    record GoesOn() implements Ending {}
}
