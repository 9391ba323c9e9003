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

    /**
     * What the ledger's row showed a claim that did not go through, as the row says it: what it means is {@link
     * #meaning}, ranked with the clock's {@code now}.
     *
     * @param reusedId       the row holds another body's digest than this record's ({@code knownDigest}, {@code
     *                       recordDigest} as {@link BodyDigest#shown})
     * @param status         the command's status, or null when it has no row
     * @param ownClaim       the row is {@code in_flight} under this very claim's token (committed before the connection
     *                       broke, and retried)
     * @param age            how long ago the row changed, by the database's clock
     * @param cancelled      its campaign was cancelled
     * @param notBefore      the record's {@code not_before}, or null
     * @param accountWaiting an earlier command of its account waits in the ledger
     * @param holdUntil      when its identity's hold expires, or null when it is not held
     * @param holdExpired    the hold expired (by the database's clock)
     * @param due            the row's next attempt time, or null
     */
    record Found(
            boolean reusedId,
            String knownDigest,
            String recordDigest,
            CommandStatus status,
            int attempts,
            boolean ownClaim,
            String claimedBy,
            Progress progress,
            int replayBase,
            Duration age,
            boolean cancelled,
            Instant notBefore,
            boolean accountWaiting,
            Instant holdUntil,
            boolean holdExpired,
            String holdReason,
            Integer holdStatus,
            Instant due)
            implements Event {

        /** What stopped the claim, most decisive first: another body under the command's id before all. */
        public Event meaning(Instant now) {
            if (reusedId) {
                return new ReusedId(knownDigest, recordDigest);
            }
            if (status != null && status.ended()) {
                return new AlreadyEnded(status, attempts);
            }
            if (status == CommandStatus.IN_FLIGHT) {
                return ownClaim
                        ? new Claimed(attempts, progress, replayBase)
                        : new FoundInFlight(attempts, claimedBy, age, progress);
            }
            if (cancelled) {
                return new CampaignCancelled(attempts);
            }
            if (notBefore != null && notBefore.isAfter(now)) {
                // a scheduled command waits on its own: it neither parks behind its account nor waits for its identity
                return new NotYetDue(notBefore, true);
            }
            if (accountWaiting) {
                return new AccountWaiting();
            }
            if (holdUntil != null) {
                return holdExpired ? new HoldExpired(holdReason, holdStatus) : new IdentityHeld(holdUntil);
            }
            boolean scheduled = notBefore != null && due != null && !due.isAfter(notBefore);
            return new NotYetDue(due != null ? due : now.plusSeconds(1), scheduled);
        }
    }

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
     * A record arrived while its account's earlier work is held by the poll loop: it waits in the ledger, behind its
     * account or, when its {@code not_before} is still ahead, on its own.
     */
    record ArrivedBehind() implements Event {}

    /** What the ledger found when it wrote {@code attempted} (its record, or its park). */
    enum Write {
        /** Written. */
        APPLIED,
        /** Written without its park: the partition is another worker's, which consumes the command again. */
        APPLIED_NOT_PARKED,
        /** Not written: the claim or the partition is another worker's. */
        FENCED,
        /** Not parked: the ledger knows the command's id with another body. */
        REUSED_ID
    }

    /**
     * The ledger wrote {@code attempted}, or found it could not ({@code write}). {@code unsentAttempt}, for a record
     * fenced because another worker settled its claim: the attempt whose call this worker held back and never sent (its
     * claim too old to send, no connection), or null when the call may have left.
     */
    record Written(Decision attempted, Write write, Integer unsentAttempt) implements Event {
        public Written(Decision attempted, Write write) {
            this(attempted, write, null);
        }
    }

    /** The database refused a write {@code times} times (not an outage: the statement itself). */
    record WriteRefused(Decision attempted, int times, String reason) implements Event {}
}
