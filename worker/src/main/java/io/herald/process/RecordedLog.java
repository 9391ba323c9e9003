package io.herald.process;

import io.herald.command.Decision;
import io.herald.observe.CommandLog;

/**
 * What the log says of a decision once it is recorded. Expected failures are not errors: a retry is INFO; a dead
 * letter is an ERROR, an operator's to look at.
 */
final class RecordedLog {
    /** The executor's logger: these lines are the executor's, whatever class writes them. */
    private static final CommandLog log = CommandLog.of(Executor.class);

    private RecordedLog() {}

    static void recorded(Attempt attempt, Decision decision) {
        var work = attempt.work();
        if (decision instanceof Decision.DeadLetter letter) {
            log.error(
                    attempt.about(),
                    "dead-lettered command {} (key {}) as {} after {} attempt(s): {}",
                    work.ref.commandId(),
                    work.ref.routingKey(),
                    letter.errorClass().wireName(),
                    attempt.number(),
                    letter.reason());
        } else if (decision instanceof Decision.Conflict conflict) {
            log.error(
                    attempt.about(),
                    "dead-lettered a record of command {} (key {}) as conflict: {}",
                    work.ref.commandId(),
                    work.ref.routingKey(),
                    conflict.reason());
        } else if (decision instanceof Decision.Retry retry) {
            log.info(
                    attempt.about(),
                    "command {} (key {}) attempt {} failed transiently ({}); retrying at {}",
                    work.ref.commandId(),
                    work.ref.routingKey(),
                    attempt.number(),
                    retry.reason(),
                    retry.at());
        } else if (decision instanceof Decision.HoldIdentity hold) {
            log.warn(
                    attempt.about(),
                    "command {}: OneAll refused the credentials of identity {} ({}); its commands wait until it is resumed or {}",
                    work.ref.commandId(),
                    work.ref.routingKey(),
                    hold.reason(),
                    hold.until());
        } else if (decision instanceof Decision.ReturnUnsent unsent) {
            log.info(
                    attempt.about(),
                    "command {}: {}, and another worker had counted it an unknown outcome; it is pending again and its"
                            + " record produced again, to be sent once",
                    work.ref.commandId(),
                    unsent.reason());
        } else if (decision instanceof Decision.CorrectLostCall) {
            log.info(
                    attempt.about(),
                    "command {}: its late answer shows the call took effect; the unknown outcome another worker recorded is"
                            + " corrected",
                    work.ref.commandId());
        }
    }
}
