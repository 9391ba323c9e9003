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
 * is left to another worker. The returned stage completes once everything about the record is durable.
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
 * One command's steps follow one another (each starts when the one before completed), so a {@link Work} is only ever
 * touched by one thread at a time.
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
        var providers = Providers.of(work.command, work.progress);
        return slots.acquire(providers)
                .thenCompose(permit -> {
                    work.lease = new CallLease(slots, permit);
                    var expected = Decide.send(work.command, 0, work.progress);
                    return client.line(expected.call(), expected.expectation().target());
                })
                .thenCompose(line -> {
                    work.lease.hold(line);
                    work.claimToken = workerId + ":" + claims.incrementAndGet();
                    work.claimedNanos = System.nanoTime();
                    work.claimedAt = clock.instant();
                    return ledger.claim(new ClaimRequest(
                            work.ref,
                            work.source,
                            work.claimToken,
                            work.command.envelope().notBefore().orElse(null),
                            work.delivery.position()));
                })
                .handle((reply, error) -> {
                    var event = reply instanceof Event.Found row ? row.meaning(clock.instant()) : reply;
                    if (error != null || !(event instanceof Event.Claimed)) {
                        work.claimToken = event instanceof Event.FoundInFlight found ? found.claimedBy() : null;
                        endAttempt(work);
                    }
                    if (error != null) {
                        return CompletableFuture.<Disposition>failedFuture(error);
                    }
                    if (event instanceof Event.Claimed claimed) {
                        work.attempts = claimed.attempt();
                        work.progress = claimed.progress();
                        work.replayBase = claimed.replayBase();
                    } else if (event instanceof Event.FoundInFlight found) {
                        work.attempts = found.attempts();
                        work.progress = found.progress();
                        work.claimedAt = clock.instant().minus(found.age());
                    } else if (event instanceof Event.AlreadyEnded ended) {
                        work.attempts = ended.attempts();
                        metrics.duplicate();
                    }
                    return step(work, event);
                })
                .thenCompose(stage -> stage);
    }

    /** A record that arrives behind its account's earlier work waits in the ledger: behind it, or on its own until due. */
    CompletionStage<Disposition> parkBehind(Work work) {
        return step(work, new Event.ArrivedBehind());
    }

    private CompletionStage<Disposition> step(Work work, Event event) {
        var decision = Decide.next(work.command, event, policy, clock.instant());
        if (!(decision instanceof Decision.Send)) {
            work.noCall();
        }
        if (decision instanceof Decision.Send send) {
            return send(work, send);
        } else if (decision instanceof Decision.Wait wait) {
            return park(work, work.parkRequest(wait.at(), wait.scheduled(), false), wait);
        } else if (decision instanceof Decision.ParkBehind) {
            return park(work, work.parkRequest(null, false, true), decision);
        } else if (decision instanceof Decision.WaitForInFlight wait) {
            endAttempt(work);
            log.debug(
                    work.about,
                    "command {}: {}; reading the ledger again in {} ms",
                    work.ref.commandId(),
                    wait.reason(),
                    wait.recheckIn().toMillis());
            return later(wait.recheckIn(), () -> run(work));
        } else if (decision instanceof Decision.ReadBack read) {
            return later(read.after(), () -> readBack(work, read));
        } else if (decision instanceof Decision.CheckSiteKeys check) {
            endAttempt(work);
            return siteKeys.siteKeysRejected()
                    .thenCompose(rejected ->
                            step(work, new Event.SiteKeysChecked(check.attempt(), check.suspect(), rejected)));
        } else if (decision instanceof Decision.SendAgain again) {
            log.info(work.about, "command {}: {}", work.ref.commandId(), again.reason());
            return record(work, decision);
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
            return record(work, decision);
        } else if (decision instanceof Decision.Claim) {
            return run(work);
        } else if (decision instanceof Decision.AwaitSiteKeys) {
            return siteKeys.closeUntilAccepted().thenCompose(accepted -> run(work));
        } else if (decision instanceof Decision.Stop) {
            return CompletableFuture.completedFuture(disposition(work, decision));
        } else if (decision instanceof Decision.Drop drop) {
            endAttempt(work);
            metrics.dropped();
            log.info(work.about, "command {} left to another worker: {}", work.ref.commandId(), drop.why());
            return CompletableFuture.completedFuture(disposition(work, drop));
        }
        throw new IllegalStateException("the executor has no way to carry out " + decision);
    }

    /** Reads OneAll back to learn what became of a call whose answer was lost. */
    private CompletionStage<Disposition> readBack(Work work, Decision.ReadBack read) {
        return lostCalls.settle(work.command, read.lost()).thenCompose(verdict -> {
            metrics.readBack(verdict);
            log.info(work.about, "command {}: {}; read back: {}", work.ref.commandId(), read.reason(), verdict);
            return step(work, new Event.ReadBack(read.lost(), verdict));
        });
    }

    private CompletionStage<Disposition> send(Work work, Decision.Send send) {
        var attempt = traces.attempt(work, send.attempt());
        var done = calls.make(work, send).thenCompose(ended -> step(work, ended));
        return attempt == null ? done : done.whenComplete((disposition, error) -> AttemptTraces.ended(attempt, error));
    }

    /** Records a decision; what the ledger found goes back to {@code Decide}. */
    private CompletionStage<Disposition> record(Work work, Decision decision) {
        var change = recording.change(work, decision);
        return ledger.apply(change)
                .handle((result, error) -> {
                    if (error != null) {
                        var cause =
                                error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                        if (cause instanceof WriteRefusedException refused) {
                            return step(work, new Event.WriteRefused(decision, ++work.refusals, refused.getMessage()));
                        }
                        endAttempt(work);
                        return CompletableFuture.<Disposition>failedFuture(cause);
                    }
                    if (result == LedgerWriter.Result.FENCED) {
                        var unsent = work.lastCall != null && work.lastCall.result() instanceof CallResult.NotSent
                                ? work.lastCall.attempt()
                                : null;
                        return step(work, new Event.Written(decision, Event.Write.FENCED, unsent));
                    }
                    work.lastCall = null;
                    endAttempt(work);
                    AttemptTraces.recorded(work, decision, change.status());
                    metrics.recorded(work.ref.type(), decision, change.status());
                    RecordedLog.recorded(work, decision);
                    return step(work, new Event.Written(decision, result.write()));
                })
                .thenCompose(stage -> stage);
    }

    /** Where {@code decision}, carried out, leaves the record. */
    private static Disposition disposition(Work work, Decision decision) {
        return Disposition.of(decision.ending(), work.ref.commandId(), work.ref.routingKey());
    }

    private CompletionStage<Disposition> park(Work work, ParkRequest request, Decision parked) {
        metrics.parked();
        return ledger.park(request).thenCompose(result -> step(work, new Event.Written(parked, result.write())));
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

    /** The attempt ends here: what its claim held for its call is given back (once, however often this is called). */
    private static void endAttempt(Work work) {
        if (work.lease != null) {
            work.lease.close();
        }
    }
}
