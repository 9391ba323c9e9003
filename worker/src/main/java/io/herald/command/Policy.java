package io.herald.command;

import java.time.Duration;

/**
 * The settings the core decides by.
 *
 * @param retries          when a failed call is tried again, and how often
 * @param onUnknownOutcome what to do with a call that may have reached OneAll and cannot be read back
 * @param callTimeout      the longest a call can take ({@code HERALD_ONEALL_TIMEOUT_MS}): a claim older than this and a
 *                         grace can no longer have a call under way
 * @param inFlightGrace    added to the call timeout before a claim found in flight counts as lost
 * @param identityHold     how long an identity whose credentials OneAll refused holds its commands; zero: no holds, the
 *                         command is dead-lettered as permanent at once
 */
public record Policy(
        RetryPolicy retries,
        UnknownOutcomePolicy onUnknownOutcome,
        Duration callTimeout,
        Duration inFlightGrace,
        Duration identityHold) {

    /** How long after it was claimed a call found in flight is surely over. */
    public Duration lostAfter() {
        return callTimeout.plus(inFlightGrace);
    }
}
