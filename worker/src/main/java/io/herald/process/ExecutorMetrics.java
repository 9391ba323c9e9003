package io.herald.process;

import io.herald.command.CommandStatus;
import io.herald.command.Decision;
import io.herald.command.ErrorClass;
import io.herald.command.ReadBackVerdict;
import io.herald.command.api.Call;
import io.herald.command.api.CallResult;
import io.herald.observe.Metrics;
import java.util.Locale;

/** The executor's counters and timers (docs/operations.md lists them with their units). */
final class ExecutorMetrics {
    private final Metrics metrics;

    ExecutorMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    void consumed() {
        metrics.increment("herald_commands_consumed_total", "records consumed from the commands topic");
    }

    void duplicate() {
        metrics.increment("herald_duplicates_total", "commands consumed again after they had ended; not sent again");
    }

    void parked() {
        metrics.increment(
                "herald_parked_total",
                "commands put in the ledger to wait: behind their account, for their schedule or retry");
    }

    void dropped() {
        metrics.increment(
                "herald_fenced_total",
                "commands left to another worker because the partition or the claim is no longer this worker's");
    }

    void call(Call call, CallResult result, long nanos) {
        var status = result instanceof CallResult.Answered a
                ? Integer.toString(a.httpStatus())
                : result instanceof CallResult.NotOneAll other
                        ? other.httpStatus() + "_not_oneall"
                        : result instanceof CallResult.NotSent ? "not_sent" : "no_answer";
        metrics.increment(
                "herald_oneall_calls_total",
                "calls to OneAll, by endpoint family and status",
                "family",
                call.family(),
                "status",
                status);
        metrics.observeSeconds(
                "herald_oneall_call_seconds", "duration of calls to OneAll", nanos / 1e9, "family", call.family());
    }

    void readBack(ReadBackVerdict verdict) {
        metrics.increment(
                "herald_read_backs_total",
                "lost calls settled by reading OneAll back, by verdict",
                "verdict",
                verdict.getClass().getSimpleName().toLowerCase(Locale.ROOT));
    }

    void recorded(String type, Decision decision, CommandStatus status) {
        if (decision instanceof Decision.Retry) {
            metrics.increment("herald_retries_total", "transient failures scheduled for another attempt", "type", type);
        } else if (decision instanceof Decision.DeadLetter letter) {
            metrics.increment(
                    "herald_dead_letters_total",
                    "commands dead-lettered, by error class",
                    "class",
                    letter.errorClass().wireName());
        } else if (decision instanceof Decision.HoldIdentity) {
            metrics.increment(
                    "herald_identity_holds_total",
                    "commands whose identity's credentials OneAll refused (the identity is held)");
        } else if (decision instanceof Decision.Conflict) {
            metrics.increment(
                    "herald_dead_letters_total",
                    "commands dead-lettered, by error class",
                    "class",
                    ErrorClass.CONFLICT.wireName());
            return; // the record's command neither ended nor changed
        }
        if (status.ended() && !(decision instanceof Decision.Acknowledge)) {
            metrics.increment(
                    "herald_outcomes_total",
                    "commands ended, by type and status",
                    "type",
                    type,
                    "status",
                    status.wireName());
        }
    }
}
