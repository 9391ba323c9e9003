package io.herald.process;

import io.herald.command.Decision;
import io.herald.command.Event;
import io.herald.command.Policy;
import io.herald.command.Timer;
import io.herald.consume.Disposition;
import io.herald.observe.CommandLog;
import io.herald.oneall.OneAll;
import io.herald.store.Ledger;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A command's way through this worker, from its record to where it ends, waits in the ledger, or is left to another
 * worker: its attempts ({@link Attempts}: claim, call, record, in one direction), and what lies between them, which
 * only this class carries out: a wait for a claim another worker holds, a read back of a lost call, a check of the
 * site's keys, a claim again, a drop. Every decision is {@code Decide}'s, asked by {@code Attempts}. The returned
 * stage completes once everything about the record is durable. What is known of the command's current claim and call
 * goes from step to step as an {@link Attempt}, a value.
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
    /** What it talks to: the ledger, OneAll, and what stands in front of OneAll (slots, lost calls, the site's keys). */
    record Peers(Ledger ledger, OneAll client, CallSlots slots, LostCalls lostCalls, CredentialsGate siteKeys) {}

    /** What it goes by: the retry policy, how outcomes are worded for the ledger, time, and whose claims it makes. */
    record Rules(Policy policy, Recording recording, Timer timer, Clock clock, String workerId) {}

    /** What watches it: the counters and the attempt spans. */
    record Observers(ExecutorMetrics metrics, AttemptTraces traces) {}

    private static final CommandLog log = CommandLog.of(Executor.class);

    private final Attempts attempts;
    private final LostCalls lostCalls;
    private final CredentialsGate siteKeys;
    private final Timer timer;
    private final ExecutorMetrics metrics;

    Executor(Peers peers, Rules rules, Observers observers) {
        this.attempts = new Attempts(peers, rules, observers);
        this.lostCalls = peers.lostCalls();
        this.siteKeys = peers.siteKeys();
        this.timer = rules.timer();
        this.metrics = observers.metrics();
    }

    /** A record's command: claimed, called and recorded, and carried on from where its attempt stops. */
    CompletionStage<Disposition> run(Work work) {
        return attempts.claim(Attempt.of(work)).thenCompose(this::carryOn);
    }

    /** A record that arrives behind its account's earlier work waits in the ledger: behind it, or on its own until due. */
    CompletionStage<Disposition> parkBehind(Work work) {
        return attempts.next(Attempt.of(work), new Event.ArrivedBehind()).thenCompose(this::carryOn);
    }

    /** Carries out the decision an attempt stopped at: the record's end, or what comes before the next attempt. */
    private CompletionStage<Disposition> carryOn(Attempts.Stopped stopped) {
        var attempt = stopped.attempt();
        var work = attempt.work();
        var decision = stopped.decision();
        if (decision instanceof Decision.Stop) {
            return CompletableFuture.completedFuture(disposition(work, decision));
        } else if (decision instanceof Decision.Drop drop) {
            attempt.end();
            metrics.dropped();
            log.info(attempt.about(), "command {} left to another worker: {}", work.ref.commandId(), drop.why());
            return CompletableFuture.completedFuture(disposition(work, drop));
        } else if (decision instanceof Decision.WaitForInFlight wait) {
            attempt.end();
            log.debug(
                    attempt.about(),
                    "command {}: {}; reading the ledger again in {} ms",
                    work.ref.commandId(),
                    wait.reason(),
                    wait.recheckIn().toMillis());
            return later(wait.recheckIn(), () -> attempts.claim(attempt)).thenCompose(this::carryOn);
        } else if (decision instanceof Decision.ReadBack read) {
            return later(read.after(), () -> readBack(attempt, read)).thenCompose(this::carryOn);
        } else if (decision instanceof Decision.CheckSiteKeys check) {
            attempt.end();
            return siteKeys.siteKeysRejected()
                    .thenCompose(rejected -> attempts.next(
                            attempt, new Event.SiteKeysChecked(check.attempt(), check.suspect(), rejected)))
                    .thenCompose(this::carryOn);
        } else if (decision instanceof Decision.Claim) {
            return attempts.claim(attempt).thenCompose(this::carryOn);
        } else if (decision instanceof Decision.AwaitSiteKeys) {
            return siteKeys.closeUntilAccepted()
                    .thenCompose(accepted -> attempts.claim(attempt))
                    .thenCompose(this::carryOn);
        }
        throw new IllegalStateException("the executor has no way to carry out " + decision);
    }

    /** Reads OneAll back to learn what became of a call whose answer was lost. */
    private CompletionStage<Attempts.Stopped> readBack(Attempt attempt, Decision.ReadBack read) {
        return lostCalls.settle(attempt.work().command, read.lost()).thenCompose(verdict -> {
            metrics.readBack(verdict);
            log.info(
                    attempt.about(),
                    "command {}: {}; read back: {}",
                    attempt.work().ref.commandId(),
                    read.reason(),
                    verdict);
            return attempts.next(attempt, new Event.ReadBack(read.lost(), verdict));
        });
    }

    /** Where {@code decision}, carried out, leaves the record. */
    private static Disposition disposition(Work work, Decision decision) {
        return Disposition.of(decision.ending(), work.ref.commandId(), work.ref.routingKey());
    }

    private <T> CompletionStage<T> later(Duration delay, Supplier<CompletionStage<T>> next) {
        if (delay.isZero() || delay.isNegative()) {
            return next.get();
        }
        var due = new CompletableFuture<Void>();
        timer.schedule(delay, () -> due.complete(null));
        return due.thenCompose(ignored -> next.get());
    }
}
