package io.herald.schema;

/**
 * The headers an outcome event carries (see docs/commands.md), UTF-8 strings, so that a consumer can route or filter
 * events without reading their values; with {@link TraceHeaders} when the command's record carried a trace.
 */
public final class OutcomeHeaders {
    public static final String COMMAND_ID = "herald-command-id";
    /** The command's type: {@code publish}, {@code push}, ... */
    public static final String TYPE = "herald-type";
    /** The event's status, as its value's {@code status}. */
    public static final String STATUS = "herald-status";

    private OutcomeHeaders() {}
}
