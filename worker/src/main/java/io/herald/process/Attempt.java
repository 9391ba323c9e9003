package io.herald.process;

import io.herald.command.Progress;
import io.herald.observe.CommandLog;
import io.opentelemetry.api.trace.Span;
import java.time.Instant;

/**
 * What is known of a command's current attempt, as a value: each step of the executor hands the next one a new
 * attempt instead of changing a shared one, so what a step saw is what the step after it sees, whichever thread
 * carries it on.
 *
 * @param work the command and the record it came in
 * @param claimToken the claim the ledger row is under: this worker's, or a lost one being settled; null when none
 * @param number the attempts the ledger counts for the command (the current one included once it is claimed)
 * @param claimedAt when the current claim was made (or, for a claim found in flight, when it was made by then)
 * @param claimedNanos {@link System#nanoTime()} at the claim, which the call's send deadline counts from
 * @param replayBase the attempts the command had when it was last replayed
 * @param progress what a command of several calls has done so far; null before its first
 * @param lastCall the call made under the current claim, until its outcome is recorded; null when none
 * @param lease what the current claim holds for its call; closed once, where the attempt ends; null before the first
 * @param span the attempt's span, from its claim until its outcome is recorded; null when none or tracing is off
 * @param about what its log lines name: the command, and its attempt's trace once it has one
 * @param refusals how often PostgreSQL refused to write one of its outcomes
 */
record Attempt(
        Work work,
        String claimToken,
        int number,
        Instant claimedAt,
        long claimedNanos,
        int replayBase,
        Progress progress,
        Work.LastCall lastCall,
        CallLease lease,
        Span span,
        CommandLog.About about,
        int refusals) {

    /** A command's way through the executor begins: nothing claimed yet. */
    static Attempt of(Work work) {
        return new Attempt(work, null, 0, null, 0, 0, null, null, null, null, work.about, 0);
    }

    /** A claim is asked for under {@code token}, with what {@code lease} holds for its call. */
    Attempt claiming(String token, CallLease held, Instant at, long nanos) {
        return new Attempt(work, token, number, at, nanos, replayBase, progress, lastCall, held, span, about, refusals);
    }

    /** The claim went through: the attempt the ledger counts now, and where the command stands. */
    Attempt claimed(int attempt, Progress now, int base) {
        return new Attempt(
                work, claimToken, attempt, claimedAt, claimedNanos, base, now, lastCall, lease, span, about, refusals);
    }

    /** The row is under another claim (or none), with {@code attempts} counted and standing at {@code now}. */
    Attempt under(String token, int attempts, Progress now, Instant at) {
        return new Attempt(
                work, token, attempts, at, claimedNanos, replayBase, now, lastCall, lease, span, about, refusals);
    }

    /** The attempt's span has started; its log lines name its trace. */
    Attempt traced(Span started, CommandLog.About traced) {
        return new Attempt(
                work,
                claimToken,
                number,
                claimedAt,
                claimedNanos,
                replayBase,
                progress,
                lastCall,
                lease,
                started,
                traced,
                refusals);
    }

    /** Attempt {@code attempt} made its call, which ended as {@code call} says. */
    Attempt called(int attempt, Work.LastCall call) {
        return new Attempt(
                work,
                claimToken,
                attempt,
                claimedAt,
                claimedNanos,
                replayBase,
                progress,
                call,
                lease,
                span,
                about,
                refusals);
    }

    /** Its outcome is recorded: the call and the span are behind it. */
    Attempt recorded() {
        return new Attempt(
                work,
                claimToken,
                number,
                claimedAt,
                claimedNanos,
                replayBase,
                progress,
                null,
                lease,
                null,
                about,
                refusals);
    }

    /** PostgreSQL refused to write one more of its outcomes. */
    Attempt refused() {
        return new Attempt(
                work,
                claimToken,
                number,
                claimedAt,
                claimedNanos,
                replayBase,
                progress,
                lastCall,
                lease,
                span,
                about,
                refusals + 1);
    }

    /** No call goes under the current lease's leave (the claim said no, or the decision is not a call). */
    void noCall() {
        if (lease != null) {
            lease.noCall();
        }
    }

    /** The attempt ends here: what its claim held for its call is given back (once, however often this is called). */
    void end() {
        if (lease != null) {
            lease.close();
        }
    }
}
