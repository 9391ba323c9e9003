package io.herald.command;

/**
 * Why a call failed, or why a command was dead-lettered: the {@code herald-error-class} header of a dead letter
 * (docs/commands.md) and the {@code error_class} of an attempt.
 */
public enum ErrorClass {
    /** Broke a rule of the command format; never sent to OneAll. */
    INVALID("invalid", true),
    /** OneAll refused it (400, 403, 404, 409 and the like); sending it again cannot succeed. */
    PERMANENT("permanent", true),
    /** Failed transiently on every one of the configured attempts. */
    EXHAUSTED("exhausted", true),
    /** The request may have reached OneAll but its answer was lost and could not be read back; not sent again. */
    UNKNOWN_OUTCOME("unknown-outcome", true),
    /** OneAll refused the identity's credentials, and no operator resumed the identity before its hold expired. */
    CREDENTIALS("credentials", true),
    /**
     * The record reuses the id of a command the ledger knows with another body (another digest): never sent, and the
     * command keeps its row and its outcome. Replayed only under a new id, which the producer gives it.
     */
    CONFLICT("conflict", true),
    /** A failure that may not happen again (429, 5xx, no connection): the command is retried. Never a dead letter's class. */
    TRANSIENT("transient", false);

    private final String wireName;
    private final boolean deadLetterClass;

    ErrorClass(String wireName, boolean deadLetterClass) {
        this.wireName = wireName;
        this.deadLetterClass = deadLetterClass;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a dead letter can have this class. */
    public boolean deadLetterClass() {
        return deadLetterClass;
    }

    public static ErrorClass fromWireName(String name) {
        for (var errorClass : values()) {
            if (errorClass.wireName.equals(name)) {
                return errorClass;
            }
        }
        throw new IllegalArgumentException("unknown error class '" + name + "'");
    }
}
