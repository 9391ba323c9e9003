package io.herald.store;

/** The database refused one write for a reason of its own (not an outage): retrying it unchanged cannot help. */
public final class WriteRefusedException extends RuntimeException {
    public WriteRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
