package io.herald.process;

import io.herald.command.Classification;
import io.herald.command.Progress;
import io.herald.consume.Delivery;
import io.herald.observe.CommandLog;
import io.herald.oneall.CallResult;
import io.herald.schema.Command;
import io.herald.store.CommandRef;
import io.herald.store.Source;
import java.time.Instant;

/** One command on its way through the executor: where it came from, and what is known of its current claim and call. */
final class Work {
    /** The last call made, for its attempt's record. */
    record LastCall(
            int attempt, Instant startedAt, long durationMs, CallResult result, Classification classification) {}

    final Delivery delivery;
    final Command command;
    final CommandRef ref;
    final Source source;
    /** What its log lines name: its id, routing key, partition and campaign. */
    final CommandLog.About about;
    /** The claim the ledger row is under: this worker's, or a lost one being settled; null when none. */
    String claimToken;

    long claimedNanos;
    Instant claimedAt;
    int attempts;
    int replayBase;
    Progress progress;
    LastCall lastCall;
    boolean holdsSlot;
    /** The outage breaker's leave for the call of the current claim; ended once, by the call's result or {@link #noCall}. */
    OutageBreaker.Permit permit;
    /** The connection held for its next call, taken before its claim; null once the call went or was given back. */
    io.herald.oneall.OneAll.Line line;

    int refusals;

    /** No call goes under the current permit (the claim said no, or the decision is not a call): it is released. */
    void noCall() {
        if (permit != null) {
            permit.released();
        }
    }

    Work(Delivery delivery, Command command, CommandRef ref) {
        this.delivery = delivery;
        this.command = command;
        this.ref = ref;
        this.source = new Source(delivery.topic(), delivery.partition(), delivery.offset(), delivery.epoch());
        this.about = new CommandLog.About(ref.commandId(), ref.routingKey(), delivery.partition(), ref.campaignId());
    }
}
