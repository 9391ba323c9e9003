package io.herald.process;

import io.herald.command.CommandStatus;
import io.herald.command.Decision;
import io.herald.command.api.Call;
import io.herald.command.api.CallResult;
import io.herald.observe.Tracing;
import io.herald.schema.OutcomeHeaders;
import io.herald.schema.TraceHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The spans of a command's attempts (docs/operations.md, tracing): one per attempt, from its claim until its outcome is
 * recorded, a child of the trace its record's {@code traceparent} names; its OneAll call a client span below it, which
 * names the call's method, path template and HTTP status, never a token, a key or a message's text. Off, nothing is
 * made; the record's own trace context still goes on to the command's outcome events.
 */
final class AttemptTraces {
    static final AttributeKey<String> COMMAND_ID = AttributeKey.stringKey("herald.command.id");
    static final AttributeKey<String> COMMAND_TYPE = AttributeKey.stringKey("herald.command.type");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("herald.attempt");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("herald.outcome");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> TEMPLATE = AttributeKey.stringKey("url.template");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final Tracing tracing;
    private final Clock clock;

    AttemptTraces(Tracing tracing, Clock clock) {
        this.tracing = tracing;
        this.clock = clock;
    }

    /**
     * Starts the span of the attempt a claimed command is about to make, as of its claim: the attempt traced, or as it
     * was when tracing is off.
     */
    Attempt attempt(Attempt claimed, int attempt) {
        if (!tracing.on()) {
            return claimed;
        }
        var work = claimed.work();
        var headers = work.delivery.headers();
        var span = tracing.tracer()
                .spanBuilder("herald " + work.ref.type())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(
                        Tracing.parent(headers.text(TraceHeaders.TRACEPARENT), headers.text(TraceHeaders.TRACESTATE)))
                .setStartTimestamp(claimed.claimedAt() == null ? clock.instant() : claimed.claimedAt())
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", work.delivery.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(work.delivery.partition()))
                .setAttribute("messaging.kafka.offset", work.delivery.offset())
                .setAttribute(COMMAND_ID, work.ref.commandId())
                .setAttribute(COMMAND_TYPE, work.ref.type())
                .setAttribute(ATTEMPT, (long) attempt)
                .startSpan();
        var context = span.getSpanContext();
        return claimed.traced(span, claimed.about().traced(context.getTraceId(), context.getSpanId()));
    }

    /** Starts the client span of an attempt's OneAll call; null without an attempt span. */
    Span call(Span attempt, Call call) {
        if (attempt == null) {
            return null;
        }
        var template = call.template();
        return tracing.tracer()
                .spanBuilder(call.method() + " " + template)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(Context.root().with(attempt))
                .setAttribute(METHOD, call.method())
                .setAttribute(TEMPLATE, template)
                .startSpan();
    }

    /** Ends a call's span with what answered: its HTTP status, or why none did. */
    static void called(Span span, CallResult result) {
        if (span == null) {
            return;
        }
        var status = result.answeredStatus();
        if (status != null) {
            span.setAttribute(STATUS, status.longValue());
        } else {
            span.setAttribute(ERROR_TYPE, result instanceof CallResult.NotSent ? "not_sent" : "no_answer");
        }
        if (status == null || status >= 400) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** Ends the command's attempt span once its outcome is recorded: an error unless it succeeded. */
    static void recorded(Attempt attempt, Decision decision, CommandStatus status) {
        var span = attempt.span();
        if (span == null) {
            return;
        }
        span.setAttribute(OUTCOME, status == null ? decision.getClass().getSimpleName() : status.wireName());
        if (decision instanceof Decision.DeadLetter || decision instanceof Decision.Retry) {
            span.setStatus(StatusCode.ERROR, decision.getClass().getSimpleName());
        }
        span.end();
    }

    /** Ends a span that nothing else ended (the command was left to another worker, or failed); once ended, a no-op. */
    static void ended(Span span, Throwable error) {
        if (span != null && span.isRecording()) {
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error.getClass().getName());
            }
            span.end();
        }
    }

    /**
     * The headers of the command's outcome event: its id, type and status, and the trace it belongs to (its attempt's
     * span, or else its record's own context as it came).
     */
    static Map<String, String> eventHeaders(Attempt attempt, String status) {
        var work = attempt.work();
        var headers = new HashMap<String, String>(8);
        headers.put(OutcomeHeaders.COMMAND_ID, work.ref.commandId());
        headers.put(OutcomeHeaders.TYPE, work.ref.type());
        headers.put(OutcomeHeaders.STATUS, status);
        var span = attempt.span();
        if (span != null) {
            headers.putAll(Tracing.headers(span.getSpanContext()));
        } else {
            var record = work.delivery.headers();
            var traceparent = record.text(TraceHeaders.TRACEPARENT);
            if (traceparent != null) {
                headers.putAll(Tracing.headers(
                        Span.fromContext(Tracing.parent(traceparent, record.text(TraceHeaders.TRACESTATE)))
                                .getSpanContext()));
            }
        }
        return headers;
    }
}
