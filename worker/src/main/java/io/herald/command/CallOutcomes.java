package io.herald.command;

import io.herald.schema.Command;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a call's classified result makes of its command: the {@link Event.CallEnded} rows of the decision table. */
final class CallOutcomes {
    private CallOutcomes() {}

    static Decision decide(Command command, Event.CallEnded ended, Policy policy, Instant now) {
        var classification = ended.classification();
        int attempt = ended.round();
        var progress = ended.progress();
        if (classification instanceof Classification.Success) {
            return new Decision.Finish(CommandStatus.SUCCEEDED, ended.data(), null, ended.httpStatus(), false);
        } else if (classification instanceof Classification.PartialSuccess partial) {
            return partial(command, ended, partial, policy, now);
        } else if (classification instanceof Classification.Transient failure) {
            if (policy.retries().mayRetry(attempt) || ended.outage() || throttledWithin(failure, attempt, policy)) {
                return new Decision.Retry(
                        now.plus(policy.retries().delayAfter(attempt, failure.retryAfter())),
                        failure.reason(),
                        failure.httpStatus(),
                        progress);
            }
            return endWithout(
                    ended,
                    ErrorClass.EXHAUSTED,
                    "failed on all " + attempt + " attempts; last: " + failure.reason(),
                    failure.httpStatus());
        } else if (classification instanceof Classification.Permanent failure) {
            return endWithout(ended, ErrorClass.PERMANENT, failure.reason(), failure.httpStatus());
        } else if (classification instanceof Classification.Unknown unknown) {
            return unknown(command, ended, unknown, policy, now);
        }
        return new Decision.CheckSiteKeys(attempt, (Classification.CredentialsSuspect) classification);
    }

    /**
     * A 429 is OneAll pacing its clients, not the command failing: the provider's limiter slows down, and the command may
     * take three times its attempts before a run of 429s exhausts it.
     */
    private static boolean throttledWithin(Classification.Transient failure, int attempt, Policy policy) {
        return failure.httpStatus() != null
                && failure.httpStatus() == 429
                && attempt < policy.retries().maxAttempts() * 3;
    }

    /**
     * Some of the target's providers have the message and some do not. The message exists, so it is never published
     * again: the providers that may succeed later are re-published alone, with the progress kept in the ledger.
     */
    private static Decision partial(
            Command command, Event.CallEnded ended, Classification.PartialSuccess partial, Policy policy, Instant now) {
        var progress = ended.progress();
        var token = Optional.ofNullable(partial.token())
                .or(() -> Optional.ofNullable(progress).map(Progress::sharingMessageToken))
                .or(() -> command instanceof Command.Republish republish
                        ? Optional.of(republish.sharingMessageToken())
                        : Optional.empty())
                .orElse(null);
        var succeeded = Decide.union(progress == null ? List.of() : progress.succeededProviders(), partial.succeeded());
        var reason = "publications failed for "
                + String.join(", ", Decide.union(partial.transients(), partial.permanents()));
        if (!partial.transients().isEmpty()
                && token != null
                && (policy.retries().mayRetry(ended.round()) || ended.outage())) {
            return new Decision.Retry(
                    now.plus(policy.retries().delayAfter(ended.round(), Optional.empty())),
                    "publications failed transiently for " + String.join(", ", partial.transients())
                            + "; re-publishing to them alone",
                    ended.httpStatus(),
                    new Progress(token, partial.transients(), succeeded));
        }
        if (!succeeded.isEmpty()) {
            return new Decision.Finish(
                    CommandStatus.PARTIAL,
                    ended.data(),
                    reason + (partial.transients().isEmpty() ? " for good" : " on every attempt"),
                    ended.httpStatus(),
                    false);
        }
        return new Decision.DeadLetter(
                partial.transients().isEmpty() ? ErrorClass.PERMANENT : ErrorClass.EXHAUSTED,
                reason + "; no provider has the message",
                ended.httpStatus());
    }

    /** A failure that ends the command: partial when an earlier attempt published to some providers, else a dead letter. */
    private static Decision endWithout(
            Event.CallEnded ended, ErrorClass errorClass, String reason, Integer httpStatus) {
        var progress = ended.progress();
        if (progress != null && progress.anySucceeded()) {
            return new Decision.Finish(
                    CommandStatus.PARTIAL,
                    null,
                    "published to " + String.join(", ", progress.succeededProviders()) + ", but not to "
                            + String.join(", ", progress.remainingProviders()) + ": " + reason,
                    httpStatus,
                    false);
        }
        return new Decision.DeadLetter(errorClass, reason, httpStatus);
    }

    /**
     * How long after {@code now}, the end of a call whose outcome is unknown, the call can no longer land: a call
     * timeout later, and no sooner than its claim is older than the call timeout and the grace (what a claim found in
     * flight waits too), so that an answer lost early (a gateway's 504, a connection cut) is not read back while OneAll
     * may still be carrying the call out.
     */
    static Duration settle(Event.CallEnded ended, Policy policy, Instant now) {
        if (ended.claimedAt() == null) {
            return policy.callTimeout();
        }
        var untilLost = Duration.between(now, ended.claimedAt().plus(policy.lostAfter()));
        return untilLost.compareTo(policy.callTimeout()) > 0 ? untilLost : policy.callTimeout();
    }

    /**
     * The call may have taken effect. Whatever OneAll can show is read back once the call can no longer land
     * ({@link #settle}); a push, which cannot be read, follows the unknown-outcome policy.
     */
    private static Decision unknown(
            Command command, Event.CallEnded ended, Classification.Unknown unknown, Policy policy, Instant now) {
        var reason = "attempt " + ended.attempt() + ": " + unknown.reason();
        var settled = Decide.lost(
                command,
                ended.attempt(),
                ended.progress(),
                ended.claimedAt(),
                settle(ended, policy, now),
                reason,
                policy);
        if (settled instanceof Decision.SendAgain again && !(command instanceof Command.Refresh)) {
            // HERALD_ON_UNKNOWN_OUTCOME=retry for a push: a retry like any other, with its backoff, within its attempts
            return policy.retries().mayRetry(ended.round())
                    ? new Decision.Retry(
                            now.plus(policy.retries().delayAfter(ended.round(), Optional.empty())),
                            again.reason(),
                            unknown.httpStatus(),
                            ended.progress())
                    : new Decision.DeadLetter(
                            ErrorClass.UNKNOWN_OUTCOME, reason + "; its attempts are spent", unknown.httpStatus());
        }
        return settled instanceof Decision.DeadLetter letter
                ? new Decision.DeadLetter(letter.errorClass(), letter.reason(), unknown.httpStatus())
                : settled;
    }
}
