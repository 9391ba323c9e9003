package io.herald.store;

import java.sql.SQLException;

/** A read or write the database refused or could not do, for callers outside the store that do not speak JDBC. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
