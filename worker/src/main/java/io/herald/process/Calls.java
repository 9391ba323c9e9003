package io.herald.process;

import io.herald.command.Decision;
import io.herald.command.Event;
import io.herald.command.FailureClassifier;
import io.herald.command.api.CallResult;
import io.herald.oneall.OneAll;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * A claimed command's call: made on the connection held for it before its claim, timed and counted, what its result
 * tells the call slots (OneAll up or down, a provider throttled) fed back to them, and its end said as the event that
 * follows.
 */
final class Calls {
    private final OneAll client;
    private final CallSlots slots;
    private final Clock clock;
    private final ExecutorMetrics metrics;
    private final AttemptTraces traces;

    Calls(OneAll client, CallSlots slots, Clock clock, ExecutorMetrics metrics, AttemptTraces traces) {
        this.traces = traces;
        this.client = client;
        this.slots = slots;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** A call made: the attempt it was made in, and how it ended. */
    record Called(Attempt attempt, Event.CallEnded event) {}

    /** Makes the claimed command's call and says how it ended. */
    CompletionStage<Called> make(Attempt claimed, Decision.Send send) {
        var startedAt = clock.instant();
        long started = System.nanoTime();
        var providers = Providers.of(claimed.work().command, send.progress());
        var span = traces.call(claimed.span(), send.call());
        var sent = call(claimed, send);
        if (span != null) {
            sent = sent.whenComplete((result, error) -> {
                if (error == null) {
                    AttemptTraces.called(span, result);
                } else {
                    AttemptTraces.ended(span, error);
                }
            });
        }
        return sent.thenApply(result -> {
            long nanos = System.nanoTime() - started;
            metrics.call(send.call(), result, nanos);
            slots.ended(claimed.lease().permit(), providers, FailureClassifier.signal(result));
            var classification = FailureClassifier.classify(result, send.expectation());
            var attempt = claimed.called(
                    send.attempt(),
                    new Work.LastCall(send.attempt(), startedAt, nanos / 1_000_000, result, classification));
            var answered = result instanceof CallResult.Answered a ? a : null;
            return new Called(
                    attempt,
                    new Event.CallEnded(
                            send.attempt(),
                            send.progress(),
                            classification,
                            answered == null ? null : answered.data(),
                            result.answeredStatus(),
                            slots.outage(),
                            attempt.claimedAt(),
                            attempt.replayBase()));
        });
    }

    /** The call on the line held for it; a line held for another call (its progress changed) is given back. */
    private CompletionStage<CallResult> call(Attempt claimed, Decision.Send send) {
        var line = claimed.lease().takeLine();
        if (line != null && line.call().equals(send.call())) {
            return line.send(claimed.claimedNanos());
        }
        if (line != null) {
            line.release();
        }
        return client.send(
                send.call(), claimed.claimedNanos(), send.expectation().target());
    }
}
