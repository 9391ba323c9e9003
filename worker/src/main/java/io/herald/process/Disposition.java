package io.herald.process;

import java.time.Instant;

/** Where processing left a record: done, or parked in the ledger until {@code dueAt} with its account's later commands behind it. */
public sealed interface Disposition {
    Disposition DONE = new Done();

    record Done() implements Disposition {}

    /** The command waits for a retry, in PostgreSQL; its offset may be committed, its account's later commands wait behind it. */
    record Parked(Instant dueAt) implements Disposition {}
}
