package io.herald.schema;

/** The headers a dead letter carries (see docs/commands.md), UTF-8 strings. */
public final class DeadLetterHeaders {
    /**
     * {@code invalid}, {@code permanent}, {@code exhausted}, {@code unknown-outcome}, {@code credentials} or
     * {@code conflict} (a record that reused a command's id with another body).
     */
    public static final String ERROR_CLASS = "herald-error-class";

    public static final String ERROR = "herald-error";
    public static final String ATTEMPTS = "herald-attempts";
    /** Only when there was an HTTP answer. */
    public static final String HTTP_STATUS = "herald-http-status";

    public static final String ORIGINAL_TOPIC = "herald-original-topic";
    public static final String ORIGINAL_PARTITION = "herald-original-partition";
    public static final String ORIGINAL_OFFSET = "herald-original-offset";
    /** ISO-8601 instant. */
    public static final String FAILED_AT = "herald-failed-at";

    private DeadLetterHeaders() {}
}
