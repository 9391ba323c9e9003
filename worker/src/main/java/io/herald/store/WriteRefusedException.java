package io.herald.store;

import io.herald.store.jdbc.Jdbc;

/** The database refused one write for a reason of its own (not an outage): retrying it unchanged cannot help. */
public final class WriteRefusedException extends RuntimeException {
    private final String sqlState;

    public WriteRefusedException(String message, Throwable cause) {
        super(message, cause);
        this.sqlState = Jdbc.sqlState(cause);
    }

    /** The SQLSTATE PostgreSQL refused the write with, or null. */
    public String sqlState() {
        return sqlState;
    }

    /**
     * Whether PostgreSQL refused what the write holds ({@link Jdbc#isDataException}): once written alone, the fault of
     * the record it came from.
     */
    public boolean refusesItsData() {
        return Jdbc.isDataException(getCause());
    }

    /** PostgreSQL's reason, on one line: its SQLSTATE and the first line of its message. */
    public String reason() {
        var message = getMessage() == null
                ? "refused"
                : getMessage().lines().findFirst().orElse("refused");
        return (sqlState == null ? "" : "SQLSTATE " + sqlState + ": ") + message;
    }
}
