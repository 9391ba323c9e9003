package io.herald.command;

import java.time.Duration;
import java.time.Instant;

/** What just happened to a command: the second input of {@link Decide#next}. */
public sealed interface Event {

    /**
     * The ledger gave this worker the command for its {@code attempt}-th call; {@code progress} is what earlier ones did;
     * {@code replayBase} the attempts it had made when it was last replayed (its retries count from there).
     */
    record Claimed(int attempt, Progress progress, int replayBase) implements Event {
        public Claimed(int attempt, Progress progress) {
            this(attempt, progress, 0);
        }
    }

    /** The command ended before (a duplicate, a redelivery, a replay of a succeeded command). */
    record AlreadyEnded(CommandStatus status, int attempts) implements Event {}

    /**
     * The ledger knows the command's id with another body: {@code knownDigest} is the digest the id was first recorded
     * with, {@code recordDigest} this record's ({@link BodyDigest#shown}).
     */
    record ReusedId(String knownDigest, String recordDigest) implements Event {}

    /** Its campaign was cancelled. */
    record CampaignCancelled(int attempts) implements Event {}

    /** An earlier command of its account waits in the ledger (for a retry, or its identity's credentials). */
    record AccountWaiting() implements Event {}

    /** It may not be sent before {@code at}: its {@code not_before} ({@code scheduled}), or a retry recorded by another worker. */
    record NotYetDue(Instant at, boolean scheduled) implements Event {}

    /** Its identity is held for its credentials until {@code until}, and no operator has resumed it. */
    record IdentityHeld(Instant until) implements Event {}

    /** Its identity's hold expired and no operator resumed it. */
    record HoldExpired(String reason, Integer httpStatus) implements Event {}

    /**
     * Another claim of it is {@code in_flight}, made {@code age} ago (by the database's clock): a call under way, or lost
     * with its worker; {@code progress} is what the claim was to do.
     */
    record FoundInFlight(int attempts, String claimedBy, Duration age, Progress progress) implements Event {}

    /** The partition is no longer this worker's: the ledger refused its claim or park. */
    record Fenced() implements Event {}

    /**
     * A call ended.
     *
     * @param classification what the call's result means
     * @param data           OneAll's {@code result.data}, sanitised, or null
     * @param httpStatus     the answer's HTTP status, or null when none came
     * @param outage         whether OneAll looks down (the circuit breaker is open): such failures do not exhaust a command
     * @param claimedAt      when the call's claim was made
     * @param replayBase     the attempts made before the command was last replayed: its retries count from there
     */
    record CallEnded(
            int attempt,
            Progress progress,
            Classification classification,
            com.fasterxml.jackson.databind.JsonNode data,
            Integer httpStatus,
            boolean outage,
            Instant claimedAt,
            int replayBase)
            implements Event {
        /** This call's number among those since the command was last replayed. */
        public int round() {
            return attempt - replayBase;
        }
    }

    /** A 401 or 403 was checked against {@code /tools/ping.json}: {@code siteKeysRejected} when OneAll refuses the site's keys. */
    record SiteKeysChecked(int attempt, Classification.CredentialsSuspect suspect, boolean siteKeysRejected)
            implements Event {}

    /** OneAll was read back to settle a lost call. */
    record ReadBack(LostCall lost, ReadBackVerdict verdict) implements Event {}

    /**
     * The outcome could not be recorded: the claim it was for is no longer this worker's (another worker settled it).
     * {@code unsentAttempt}: the attempt whose call this worker held back and never sent (its claim too old to send, no
     * connection), or null when the call may have left.
     */
    record RecordFenced(Decision attempted, Integer unsentAttempt) implements Event {
        public RecordFenced(Decision attempted) {
            this(attempted, null);
        }
    }

    /** The database refused a write {@code times} times (not an outage: the statement itself). */
    record WriteRefused(Decision attempted, int times, String reason) implements Event {}
}
