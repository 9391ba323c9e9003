package io.herald.store;

import io.herald.command.Event;
import java.util.concurrent.CompletionStage;

/** What processing asks of the ledger; durable when each stage completes ({@link LedgerWriter} in a worker). */
public interface Ledger {
    /** Claims a command for one call; what the ledger found when it could not. */
    CompletionStage<Event> claim(ClaimRequest request);

    /** Parks a command that was not claimed: behind its account, or until its time. */
    CompletionStage<LedgerWriter.Result> park(ParkRequest request);

    /** Applies a change while its guard holds; a change the database refuses fails with {@link WriteRefusedException}. */
    CompletionStage<LedgerWriter.Result> apply(LedgerChange change);
}
