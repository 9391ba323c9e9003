package io.herald.oneall;

import io.herald.command.api.Answers;
import io.herald.command.api.Call;
import io.herald.command.api.CallResult;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Takes a connection for {@code call} before its command is claimed, so that the call can leave the moment the claim
     * is committed and waiting for a connection never eats into its deadline. The line completes once the connection is
     * held, or once it is known that none can be had (its call then ends {@link CallResult.NotSent} at once).
     */
    default CompletionStage<Line> line(Call call, String target) {
        return CompletableFuture.completedFuture(new Line() {
            @Override
            public Call call() {
                return call;
            }

            @Override
            public CompletionStage<CallResult> send(long claimedNanos) {
                return OneAll.this.send(call, claimedNanos, target);
            }

            @Override
            public void release() {}
        });
    }

    /** A connection held for one call: sent once ({@link #send}) or given back unused ({@link #release}). */
    interface Line {
        /** The call the line was taken for. */
        Call call();

        /** Sends the call at once, its command claimed at {@code claimedNanos}, as {@link OneAll#send(Call, long)}. */
        CompletionStage<CallResult> send(long claimedNanos);

        /** Gives the connection back unused: its command was not claimed, or is to make another call. */
        void release();
    }
}
