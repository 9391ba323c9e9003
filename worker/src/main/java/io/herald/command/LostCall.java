package io.herald.command;

import java.time.Instant;

/**
 * A call that may have reached OneAll and whose answer is lost, and how OneAll can be read back to settle it.
 *
 * @param attempt   the attempt the call was
 * @param claimedAt when the call's claim was made (by the database's clock, as near as the worker knows it)
 * @param kind      what reading back can tell
 * @param progress  what the call was to do when it re-published a publish's missing providers, else null
 */
public record LostCall(int attempt, Instant claimedAt, Kind kind, Progress progress) {
    public enum Kind {
        /** Read the message: the target's publications since the claim tell whether it took effect. */
        REPUBLISH,
        /** Read the message: a 404 proves it was deleted. */
        DELETE,
        /** List the site's latest messages and find one with the command's parts and target, created since the claim. */
        PUBLISH
    }
}
