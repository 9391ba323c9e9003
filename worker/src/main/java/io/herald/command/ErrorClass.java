package io.herald.command;

/** Why a command was dead-lettered: the {@code herald-error-class} header (contract §3). */
public enum ErrorClass {
    /** Broke a rule of the contract; never sent to OneAll. */
    INVALID("invalid"),
    /** OneAll refused it (400, 403, 404, 409 and the like); sending it again cannot succeed. */
    PERMANENT("permanent"),
    /** Failed transiently on every one of the configured attempts. */
    EXHAUSTED("exhausted"),
    /** The request may have reached OneAll but its answer was lost; not sent again, to never post twice. */
    UNKNOWN_OUTCOME("unknown-outcome");

    private final String wireName;

    ErrorClass(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
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
