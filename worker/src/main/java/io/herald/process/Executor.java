package io.herald.process;

import io.herald.command.Decide;
import io.herald.command.Decision;
import io.herald.command.Event;
import io.herald.command.Policy;
import io.herald.command.Timer;
import io.herald.command.api.CallResult;
import io.herald.consume.Disposition;
import io.herald.observe.CommandLog;
import io.herald.oneall.OneAll;
import io.herald.store.ClaimRequest;
import io.herald.store.Ledger;
import io.herald.store.LedgerWriter;
import io.herald.store.ParkRequest;
import io.herald.store.WriteRefusedException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries out what {@link Decide} decides for one command: claims it, calls OneAll, reads OneAll back, records,
 * parks; each result goes back to {@code Decide} as the next event until the command ends, waits in the ledger, or
 * is left to another worker. The returned stage completes once everything about the record is durable. What is known
 * of the command's current claim and call goes from step to step as an {@link Attempt}, a value.
 *
 * <p>Threads. Nothing here blocks; each step runs on the thread that completed what it waited for:
 *
 * <ul>
 *   <li>{@code herald-consumer}, the poll loop, starts a command ({@link #run}) when its record is handed out;
 *   <li>Vert.x's event loops carry on from OneAll's answers (a connection taken, a call answered, a read back) and
 *       from the timers (a recheck, a read back's wait);
 *   <li>{@code herald-ledger-writer-results} carries on from the ledger's writes (a claim, a record, a park), in the
 *       order they were written, while {@code herald-ledger-writer} only writes;
 *   <li>a call slot given back starts the command waiting for it on the thread that gave it back;
 *   <li>{@code herald-housekeeping} reads parked commands before they are handed here ({@code CommandHandler}).
 * </ul>
 *
 * One command's steps follow one another (each starts when the one before completed), and each hands the next the
 * {@link Attempt} it made, so no step changes what another thread may be reading.
 */
final class Executor {
    private static final CommandLog log = CommandLog.of(Executor.class);

    private final Ledger ledger;
    private final OneAll client;
    private final CallSlots slots;
    private final LostCalls lostCalls;
    private final CredentialsGate siteKeys;
    private final Recording recording;
    private final Policy policy;
    private final Timer timer;
    private final Clock clock;
    private final String workerId;
    private final ExecutorMetrics metrics;
    private final AtomicLong claims = new AtomicLong();
    private final Calls calls;
    private final AttemptTraces traces;

    /** What it talks to: the ledger, OneAll, and what stands in front of OneAll (slots, lost calls, the site's keys). */
    record Peers(Ledger ledger, OneAll client, CallSlots slots, LostCalls lostCalls, CredentialsGate siteKeys) {}

    /** What it goes by: the retry policy, how outcomes are worded for the ledger, time, and whose claims it makes. */
    record Rules(Policy policy, Recording recording, Timer timer, Clock clock, String workerId) {}

    /** What watches it: the counters and the attempt spans. */
    record Observers(ExecutorMetrics metrics, AttemptTraces traces) {}

    Executor(Peers peers, Rules rules, Observers observers) {
        this.ledger = peers.ledger();
        this.client = peers.client();
        this.slots = peers.slots();
        this.lostCalls = peers.lostCalls();
        this.siteKeys = peers.siteKeys();
        this.recording = rules.recording();
        this.policy = rules.policy();
        this.timer = rules.timer();
        this.clock = rules.clock();
        this.workerId = rules.workerId();
        this.metrics = observers.metrics();
        this.traces = observers.traces();
        this.calls = new Calls(client, slots, clock, metrics, traces);
    }

    /**
     * A command's way from its claim to where it ends or waits. It is claimed only once its call can leave at once: a
     * slot, its providers' permits and a connection held (docs/processing.md, claims), so that a claimed call is on the
     * wire right after the claim commits and a crash can leave unknown no call that never left.
     */
    CompletionStage<Disposition> run(Work work) {
        return claim(Attempt.of(work));
    }

    /** A record that arrives behind its account's earlier work waits in the ledger: behind it, or on its own until due. */
    CompletionStage<Disposition> parkBehind(Work work) {
        return step(Attempt.of(work), new Event.ArrivedBehind());
    }

    private CompletionStage<Disposition> claim(Attempt before) {
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
                    .whenComplete((disposition, error) -> {
                        if (error != null) {
                            lease.close();
                        }
                    });
        });
    }

    /** What the claim found goes to {@code Decide}; a claim that did not go through gives back what it held. */
    private CompletionStage<Disposition> claimed(Attempt claiming, Event reply) {
        var event = reply instanceof Event.Found row ? row.meaning(clock.instant()) : reply;
        if (event instanceof Event.Claimed claimed) {
            return step(claiming.claimed(claimed.attempt(), claimed.progress(), claimed.replayBase()), event);
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
        return step(after, event);
    }

    private CompletionStage<Disposition> step(Attempt attempt, Event event) {
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
        } else if (decision instanceof Decision.WaitForInFlight wait) {
            attempt.end();
            log.debug(
                    attempt.about(),
                    "command {}: {}; reading the ledger again in {} ms",
                    work.ref.commandId(),
                    wait.reason(),
                    wait.recheckIn().toMillis());
            return later(wait.recheckIn(), () -> claim(attempt));
        } else if (decision instanceof Decision.ReadBack read) {
            return later(read.after(), () -> readBack(attempt, read));
        } else if (decision instanceof Decision.CheckSiteKeys check) {
            attempt.end();
            return siteKeys.siteKeysRejected()
                    .thenCompose(rejected ->
                            step(attempt, new Event.SiteKeysChecked(check.attempt(), check.suspect(), rejected)));
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
        } else if (decision instanceof Decision.Claim) {
            return claim(attempt);
        } else if (decision instanceof Decision.AwaitSiteKeys) {
            return siteKeys.closeUntilAccepted().thenCompose(accepted -> claim(attempt));
        } else if (decision instanceof Decision.Stop) {
            return CompletableFuture.completedFuture(disposition(work, decision));
        } else if (decision instanceof Decision.Drop drop) {
            attempt.end();
            metrics.dropped();
            log.info(attempt.about(), "command {} left to another worker: {}", work.ref.commandId(), drop.why());
            return CompletableFuture.completedFuture(disposition(work, drop));
        }
        throw new IllegalStateException("the executor has no way to carry out " + decision);
    }

    /** Reads OneAll back to learn what became of a call whose answer was lost. */
    private CompletionStage<Disposition> readBack(Attempt attempt, Decision.ReadBack read) {
        return lostCalls.settle(attempt.work().command, read.lost()).thenCompose(verdict -> {
            metrics.readBack(verdict);
            log.info(
                    attempt.about(),
                    "command {}: {}; read back: {}",
                    attempt.work().ref.commandId(),
                    read.reason(),
                    verdict);
            return step(attempt, new Event.ReadBack(read.lost(), verdict));
        });
    }

    private CompletionStage<Disposition> send(Attempt claimed, Decision.Send send) {
        var attempt = traces.attempt(claimed, send.attempt());
        var done = calls.make(attempt, send).thenCompose(called -> step(called.attempt(), called.event()));
        return attempt.span() == null
                ? done
                : done.whenComplete((disposition, error) -> AttemptTraces.ended(attempt.span(), error));
    }

    /** Records a decision; what the ledger found goes back to {@code Decide}. */
    private CompletionStage<Disposition> record(Attempt attempt, Decision decision) {
        var change = recording.change(attempt, decision);
        return ledger.apply(change)
                .handle((result, error) -> {
                    if (error != null) {
                        var cause =
                                error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                        if (cause instanceof WriteRefusedException refused) {
                            var again = attempt.refused();
                            return step(
                                    again, new Event.WriteRefused(decision, again.refusals(), refused.getMessage()));
                        }
                        attempt.end();
                        return CompletableFuture.<Disposition>failedFuture(cause);
                    }
                    if (result == LedgerWriter.Result.FENCED) {
                        var last = attempt.lastCall();
                        var unsent =
                                last != null && last.result() instanceof CallResult.NotSent ? last.attempt() : null;
                        return step(attempt, new Event.Written(decision, Event.Write.FENCED, unsent));
                    }
                    attempt.end();
                    AttemptTraces.recorded(attempt, decision, change.status());
                    metrics.recorded(attempt.work().ref.type(), decision, change.status());
                    RecordedLog.recorded(attempt, decision);
                    return step(attempt.recorded(), new Event.Written(decision, result.write()));
                })
                .thenCompose(stage -> stage);
    }

    /** Where {@code decision}, carried out, leaves the record. */
    private static Disposition disposition(Work work, Decision decision) {
        return Disposition.of(decision.ending(), work.ref.commandId(), work.ref.routingKey());
    }

    private CompletionStage<Disposition> park(Attempt attempt, ParkRequest request, Decision parked) {
        metrics.parked();
        return ledger.park(request).thenCompose(result -> step(attempt, new Event.Written(parked, result.write())));
    }

    private CompletionStage<Disposition> later(
            Duration delay, java.util.function.Supplier<CompletionStage<Disposition>> next) {
        if (delay.isZero() || delay.isNegative()) {
            return next.get();
        }
        var due = new CompletableFuture<Void>();
        timer.schedule(delay, () -> due.complete(null));
        return due.thenCompose(ignored -> next.get());
    }
}
