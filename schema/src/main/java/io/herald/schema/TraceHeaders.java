package io.herald.schema;

/**
 * The W3C trace context headers (see docs/commands.md, headers): a command's record may carry them; {@link
 * HeraldProducer} writes them from the current OpenTelemetry span; the worker carries them on to the command's outcome
 * events and dead letters, and makes its spans children of the trace they name.
 */
public final class TraceHeaders {
    /** {@code 00-<trace id>-<parent span id>-<flags>}. */
    public static final String TRACEPARENT = "traceparent";

    public static final String TRACESTATE = "tracestate";

    private TraceHeaders() {}
}
