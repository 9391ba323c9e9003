package io.herald.store;

/** What the ledger says when a worker claims a command before calling OneAll. */
public sealed interface Claim {
    /**
     * The command is this worker's; this is its {@code attempt}-th call. {@code progress} is what an
     * earlier attempt already achieved (see {@code commands.progress}), or null.
     */
    record Claimed(int attempt, String progress) implements Claim {}

    /** The command already ended ({@code succeeded}, {@code partial}, {@code dead_lettered}, {@code cancelled}): not sent again. */
    record AlreadyFinal(String status, int attempts) implements Claim {}

    /** The command belongs to a cancelled campaign: recorded {@code cancelled}, not sent. */
    record Cancelled(int attempts) implements Claim {}

    /** An earlier attempt was in flight when its worker died: its outcome is unknown. */
    record FoundInFlight(int attempts, String claimedBy, java.time.Instant claimedAt) implements Claim {}
}
