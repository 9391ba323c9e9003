package io.herald.process;

import io.herald.command.Decide;
import io.herald.command.Decision;
import io.herald.command.Event;
import io.herald.command.Policy;
import io.herald.command.api.CallResult;
import io.herald.observe.CommandLog;
import io.herald.oneall.OneAll;
import io.herald.store.ClaimRequest;
import io.herald.store.Ledger;
import io.herald.store.LedgerWriter;
import io.herald.store.ParkRequest;
import io.herald.store.WriteRefusedException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One attempt of a command, in one direction: its claim, its call, and the ledger's record of what came of it (or of
 * the wait it goes into), each step's result handed to {@link Decide} and the decision carried out here, until the
 * command ends or a decision is one that only the {@link Executor} carries out (a wait for a claim in flight, a read
 * back, the site's keys, a claim again, a drop): that decision is where the attempt stops.
 */
final class Attempts {
    private static final CommandLog log = CommandLog.of(Executor.class);

    /** Where an attempt stopped: the decision that follows it, for the attempt as it stands. */
    record Stopped(Attempt attempt, Decision decision) {}

    private final Ledger ledger;
    private final OneAll client;
    private final CallSlots slots;
    private final Recording recording;
    private final Policy policy;
    private final Clock clock;
    private final String workerId;
    private final ExecutorMetrics metrics;
    private final AttemptTraces traces;
    private final Calls calls;
    private final AtomicLong claims = new AtomicLong();

    Attempts(Executor.Peers peers, Executor.Rules rules, Executor.Observers observers) {
        this.ledger = peers.ledger();
        this.client = peers.client();
        this.slots = peers.slots();
        this.recording = rules.recording();
        this.policy = rules.policy();
        this.clock = rules.clock();
        this.workerId = rules.workerId();
        this.metrics = observers.metrics();
        this.traces = observers.traces();
        this.calls = new Calls(client, slots, clock, metrics, traces);
    }

    /**
     * Claims the command, once its call can leave at once: a slot, its providers' permits and a connection held
     * (docs/processing.md, claims), so that a claimed call is on the wire right after the claim commits and a crash can
     * leave unknown no call that never left.
     */
    CompletionStage<Stopped> claim(Attempt before) {
        var work = before.work();
        return slots.acquire(Providers.of(work.command, before.progress())).thenCompose(permit -> {
            var lease = new CallLease(slots, permit);
            var expected = Decide.send(work.command, 0, before.progress());
            return client.line(expected.call(), expected.expectation().target())
                    .thenCompose(line -> {
                        lease.hold(line);
                        var claiming = before.claiming(
                                workerId + ":" + claims.incrementAndGet(), lease, clock.instant(), System.nanoTime());
                        return ledger.claim(new ClaimRequest(
                                        work.ref,
                                        work.source,
                                        claiming.claimToken(),
                                        work.command.envelope().notBefore().orElse(null),
                                        work.delivery.position()))
                                .thenCompose(reply -> claimed(claiming, reply));
                    })
                    .whenComplete((stopped, error) -> {
                        if (error != null) {
                            lease.close();
                        }
                    });
        });
    }

    /** What the claim found goes to {@code Decide}; a claim that did not go through gives back what it held. */
    private CompletionStage<Stopped> claimed(Attempt claiming, Event reply) {
        var event = reply instanceof Event.Found row ? row.meaning(clock.instant()) : reply;
        if (event instanceof Event.Claimed claimed) {
            return next(claiming.claimed(claimed.attempt(), claimed.progress(), claimed.replayBase()), event);
        }
        claiming.end();
        Attempt after;
        if (event instanceof Event.FoundInFlight found) {
            after = claiming.under(
                    found.claimedBy(),
                    found.attempts(),
                    found.progress(),
                    clock.instant().minus(found.age()));
        } else if (event instanceof Event.AlreadyEnded ended) {
            metrics.duplicate();
            after = claiming.under(null, ended.attempts(), claiming.progress(), claiming.claimedAt());
        } else {
            after = claiming.under(null, claiming.number(), claiming.progress(), claiming.claimedAt());
        }
        return next(after, event);
    }

    /** {@code event} goes to {@code Decide}; a call, a record or a wait is carried out here, anything else stops it. */
    CompletionStage<Stopped> next(Attempt attempt, Event event) {
        var work = attempt.work();
        var decision = Decide.next(work.command, event, policy, clock.instant());
        if (!(decision instanceof Decision.Send)) {
            attempt.noCall();
        }
        if (decision instanceof Decision.Send send) {
            return send(attempt, send);
        } else if (decision instanceof Decision.Wait wait) {
            return park(attempt, work.parkRequest(wait.at(), wait.scheduled(), false), wait);
        } else if (decision instanceof Decision.ParkBehind) {
            return park(attempt, work.parkRequest(null, false, true), decision);
        } else if (decision instanceof Decision.SendAgain again) {
            log.info(attempt.about(), "command {}: {}", work.ref.commandId(), again.reason());
            return record(attempt, decision);
        } else if (decision instanceof Decision.Finish
                || decision instanceof Decision.Retry
                || decision instanceof Decision.DeadLetter
                || decision instanceof Decision.HoldForSiteKeys
                || decision instanceof Decision.HoldIdentity
                || decision instanceof Decision.Acknowledge
                || decision instanceof Decision.Conflict
                || decision instanceof Decision.Cancel
                || decision instanceof Decision.CorrectLostCall
                || decision instanceof Decision.ReturnUnsent) {
            return record(attempt, decision);
        }
        return CompletableFuture.completedFuture(new Stopped(attempt, decision));
    }

    /** The command waits in the ledger; what the park found goes back to {@code Decide}. */
    private CompletionStage<Stopped> park(Attempt attempt, ParkRequest request, Decision parked) {
        metrics.parked();
        return ledger.park(request).thenCompose(result -> next(attempt, new Event.Written(parked, result.write())));
    }

    private CompletionStage<Stopped> send(Attempt claimed, Decision.Send send) {
        var attempt = traces.attempt(claimed, send.attempt());
        var done = calls.make(attempt, send).thenCompose(called -> next(called.attempt(), called.event()));
        return attempt.span() == null
                ? done
                : done.whenComplete((stopped, error) -> AttemptTraces.ended(attempt.span(), error));
    }

    /** Records a decision; what the ledger found goes back to {@code Decide}. */
    private CompletionStage<Stopped> record(Attempt attempt, Decision decision) {
        var change = recording.change(attempt, decision);
        return ledger.apply(change)
                .handle((result, error) -> {
                    if (error != null) {
                        var cause = error instanceof CompletionException ? error.getCause() : error;
                        if (cause instanceof WriteRefusedException refused) {
                            var again = attempt.refused();
                            return next(
                                    again, new Event.WriteRefused(decision, again.refusals(), refused.getMessage()));
                        }
                        attempt.end();
                        return CompletableFuture.<Stopped>failedFuture(cause);
                    }
                    if (result == LedgerWriter.Result.FENCED) {
                        var last = attempt.lastCall();
                        var unsent =
                                last != null && last.result() instanceof CallResult.NotSent ? last.attempt() : null;
                        return next(attempt, new Event.Written(decision, Event.Write.FENCED, unsent));
                    }
                    attempt.end();
                    AttemptTraces.recorded(attempt, decision, change.status());
                    metrics.recorded(attempt.work().ref.type(), decision, change.status());
                    RecordedLog.recorded(attempt, decision);
                    return next(attempt.recorded(), new Event.Written(decision, result.write()));
                })
                .thenCompose(stage -> stage);
    }
}
