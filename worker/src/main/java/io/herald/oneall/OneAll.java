package io.herald.oneall;

import java.util.concurrent.CompletionStage;

/** The OneAll API as processing calls it ({@link OneAllClient} in a worker). Failures are values, never exceptions. */
public interface OneAll {
    /** Makes the call unless it cannot leave before {@code sendByNanos} ({@link System#nanoTime()}). */
    CompletionStage<CallResult> send(Call call, long sendByNanos);

    /** Makes the call now. */
    default CompletionStage<CallResult> send(Call call) {
        return send(call, Long.MAX_VALUE);
    }
}
