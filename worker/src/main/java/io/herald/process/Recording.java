package io.herald.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.CommandStatus;
import io.herald.command.Decision;
import io.herald.command.ErrorClass;
import io.herald.command.api.CallResult;
import io.herald.route.OutcomeEvents;
import io.herald.store.AttemptEntry;
import io.herald.store.LedgerChange;
import io.herald.store.LedgerChange.Guard;
import java.time.Clock;
import java.util.Map;

/** Turns a decision into the ledger change that records it: the row, its attempt, its effects, its dead letter and its events. */
final class Recording {
    private final DeadLettering deadLettering;
    private final InvalidRecords invalids;
    private final String outcomesTopic;
    private final String workerId;
    private final Clock clock;

    Recording(String deadLetterTopic, String outcomesTopic, String workerId, Clock clock) {
        this.deadLettering = new DeadLettering(deadLetterTopic, clock);
        this.invalids = new InvalidRecords(deadLettering, outcomesTopic);
        this.outcomesTopic = outcomesTopic;
        this.workerId = workerId;
        this.clock = clock;
    }

    /** The records that are no command the ledger can hold, recorded by their bytes. */
    InvalidRecords invalids() {
        return invalids;
    }

    /** The change that records {@code decision} for {@code work}. */
    LedgerChange change(Attempt attempt, Decision decision) {
        var work = attempt.work();
        var guard = attempt.claimToken() == null ? new Guard.Pending() : new Guard.Claim(attempt.claimToken());
        if (decision instanceof Decision.Finish finish) {
            return finished(attempt, guard, finish);
        } else if (decision instanceof Decision.DeadLetter letter) {
            return deadLettered(attempt, guard, letter);
        } else if (decision instanceof Decision.Retry retry) {
            return retried(attempt, guard, retry);
        } else if (decision instanceof Decision.HoldIdentity hold) {
            return identityHeld(attempt, guard, hold);
        } else if (decision instanceof Decision.SendAgain again) {
            return withAttempt(
                    LedgerChange.reopened(work.ref, work.source, guard, true)
                            .withError(again.reason(), ErrorClass.UNKNOWN_OUTCOME)
                            .withProgress(
                                    again.progress() == null
                                            ? null
                                            : again.progress().toJson()),
                    attempt);
        } else if (decision instanceof Decision.HoldForSiteKeys hold) {
            return withAttempt(
                    LedgerChange.reopened(work.ref, work.source, guard, true)
                            .withError(hold.reason(), ErrorClass.CREDENTIALS),
                    attempt);
        } else if (decision instanceof Decision.Cancel cancel) {
            var change = LedgerChange.ended(work.ref, work.source, new Guard.Pending(), CommandStatus.CANCELLED)
                    .withError("the campaign was cancelled", null);
            return change.announcing(event(attempt, CommandStatus.CANCELLED.wireName(), null, null));
        } else if (decision instanceof Decision.Acknowledge ack) {
            return acknowledged(attempt, ack);
        } else if (decision instanceof Decision.Conflict conflict) {
            var change = LedgerChange.beside(work.ref, work.source, work.delivery.position() != null);
            deadLettering.deadLetter(change, work.delivery, ErrorClass.CONFLICT, conflict.reason(), 0, null);
            return change;
        } else if (decision instanceof Decision.CorrectLostCall correct) {
            return lostCallCorrected(attempt, correct);
        } else if (decision instanceof Decision.ReturnUnsent unsent) {
            return unsentReturned(attempt, unsent);
        }
        throw new IllegalArgumentException("no ledger change records " + decision);
    }

    private LedgerChange finished(Attempt attempt, Guard guard, Decision.Finish finish) {
        var work = attempt.work();
        var change = LedgerChange.ended(work.ref, work.source, guard, finish.status())
                .withResult(finish.minimal() ? null : finish.result())
                .withError(finish.reason(), null);
        if (!finish.minimal()) {
            change.withEffects(AnswerEffects.of(attempt, finish.result(), true));
        }
        return announce(
                withAttempt(change, attempt),
                attempt,
                finish.status(),
                finish.minimal() ? null : finish.result(),
                null);
    }

    private LedgerChange deadLettered(Attempt attempt, Guard guard, Decision.DeadLetter letter) {
        var work = attempt.work();
        var change = withAttempt(
                LedgerChange.ended(work.ref, work.source, guard, CommandStatus.DEAD_LETTERED)
                        .withError(letter.reason(), letter.errorClass()),
                attempt);
        if (!letter.minimal()) {
            change.withEffects(AnswerEffects.of(attempt, AnswerEffects.callData(attempt), false));
        }
        deadLettering.deadLetter(
                change, work.delivery, letter.errorClass(), letter.reason(), attempt.number(), letter.httpStatus());
        return announce(
                change,
                attempt,
                CommandStatus.DEAD_LETTERED,
                null,
                new OutcomeEvents.Error(letter.errorClass(), letter.reason(), letter.httpStatus()));
    }

    private LedgerChange retried(Attempt attempt, Guard guard, Decision.Retry retry) {
        var work = attempt.work();
        return withAttempt(
                LedgerChange.waiting(work.ref, work.source, guard, retry.at())
                        .withError(retry.reason(), ErrorClass.TRANSIENT)
                        .withProgress(
                                retry.progress() == null
                                        ? null
                                        : retry.progress().toJson())
                        .withEffects(AnswerEffects.of(attempt, AnswerEffects.callData(attempt), false))
                        .parked(work.parked(retry.at())),
                attempt);
    }

    private LedgerChange identityHeld(Attempt attempt, Guard guard, Decision.HoldIdentity hold) {
        var work = attempt.work();
        var change = withAttempt(
                LedgerChange.waiting(work.ref, work.source, guard, hold.until())
                        .withError(hold.reason(), ErrorClass.CREDENTIALS)
                        .parked(work.parked(hold.until()))
                        .holdingIdentity(new LedgerChange.IdentityHoldRow(
                                work.ref.routingKey(),
                                work.ref.commandId(),
                                hold.httpStatus(),
                                hold.reason(),
                                hold.until())),
                attempt);
        return change.announcing(event(
                attempt,
                "held",
                null,
                new OutcomeEvents.Error(ErrorClass.CREDENTIALS, hold.reason(), hold.httpStatus())));
    }

    private LedgerChange acknowledged(Attempt attempt, Decision.Acknowledge ack) {
        var work = attempt.work();
        return LedgerChange.ended(work.ref, work.source, new Guard.None(), ack.status())
                .announcing(OutcomeEvents.event(
                        outcomesTopic,
                        work.ref.commandId(),
                        work.ref.type(),
                        ack.status().wireName(),
                        ack.attempts(),
                        work.ref.campaignId(),
                        work.command.envelope().metadata(),
                        null,
                        null));
    }

    private LedgerChange lostCallCorrected(Attempt attempt, Decision.CorrectLostCall correct) {
        var work = attempt.work();
        var finish = correct.finish();
        var change = LedgerChange.ended(work.ref, work.source, new Guard.LostCall(attempt.number()), finish.status())
                .withResult(finish.result())
                .withError(finish.reason(), null)
                .withEffects(AnswerEffects.of(attempt, finish.result(), true));
        return announce(change, attempt, finish.status(), finish.result(), null);
    }

    /**
     * A call never sent whose command another worker counted an unknown outcome: pending again, its record produced
     * again to its topic (as {@code herald replay} does), so that the partition's owner consumes it and sends it once.
     */
    private LedgerChange unsentReturned(Attempt attempt, Decision.ReturnUnsent unsent) {
        var work = attempt.work();
        var delivery = work.delivery;
        return withAttempt(
                LedgerChange.reopened(work.ref, work.source, new Guard.Unsent(unsent.attempt()), true)
                        .withError(unsent.reason(), null)
                        .announcing(new io.herald.store.OutboxMessage(
                                delivery.topic(), delivery.key(), delivery.value(), Map.of(), delivery.headers())),
                attempt);
    }

    /** The call the change follows, as an entry of the command's attempt log (once). */
    private LedgerChange withAttempt(LedgerChange change, Attempt attempt) {
        var call = attempt.lastCall();
        if (call == null) {
            return change;
        }
        var answered = call.result() instanceof CallResult.Answered a ? a : null;
        var errorClass = call.classification().attemptClass();
        Integer status = call.result().answeredStatus();
        return change.withAttempt(new AttemptEntry(
                call.attempt(),
                workerId,
                call.startedAt(),
                call.durationMs(),
                status,
                answered == null ? null : answered.flag(),
                answered == null ? null : answered.info(),
                errorClass == null ? null : errorClass.wireName(),
                errorClass == null ? null : call.classification().describe(),
                answered == null ? null : answered.raw()));
    }

    private LedgerChange announce(
            LedgerChange change, Attempt attempt, CommandStatus status, JsonNode result, OutcomeEvents.Error error) {
        return change.announcing(event(attempt, status.wireName(), result, error));
    }

    private io.herald.store.OutboxMessage event(
            Attempt attempt, String status, JsonNode result, OutcomeEvents.Error error) {
        var work = attempt.work();
        var event = OutcomeEvents.event(
                outcomesTopic,
                work.ref.commandId(),
                work.ref.type(),
                status,
                attempt.number(),
                work.ref.campaignId(),
                work.command.envelope().metadata(),
                result,
                error);
        return OutcomeEvents.withHeaders(event, AttemptTraces.eventHeaders(attempt, status));
    }
}
