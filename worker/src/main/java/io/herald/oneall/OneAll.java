package io.herald.oneall;

import java.util.concurrent.CompletionStage;

/** The OneAll API as processing calls it ({@link OneAllClient} in a worker). Failures are values, never exceptions. */
public interface OneAll {
    /**
     * Makes a call whose command was claimed at {@code claimedNanos} ({@link System#nanoTime()}): its answer must come
     * within the call timeout of the claim, or the call counts as maybe sent; and it is not sent at all once half of
     * that has passed waiting for a connection (so it has time to be answered).
     */
    CompletionStage<CallResult> send(Call call, long claimedNanos);

    /**
     * As {@link #send(Call, long)}, the answer narrowed to the publications of {@code target}, a user or identity token
     * (null: all), as {@link Answers#narrowed(CallResult, String)} narrows it.
     */
    default CompletionStage<CallResult> send(Call call, long claimedNanos, String target) {
        return send(call, claimedNanos).thenApply(result -> Answers.narrowed(result, target));
    }

    /** Makes a call now, with the whole timeout for its answer. */
    default CompletionStage<CallResult> send(Call call) {
        return send(call, System.nanoTime());
    }
}
