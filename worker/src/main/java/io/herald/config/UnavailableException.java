package io.herald.config;

/**
 * Kafka or PostgreSQL cannot be reached, or refused Herald (credentials, a TLS handshake, a permission): the message
 * is one line that names the address and the cause, and never a secret. The command line exits with its own status
 * for it (docs/cli.md), apart from a configuration Herald cannot read and from a failure at run time.
 */
public final class UnavailableException extends RuntimeException {
    public UnavailableException(String message) {
        super(message);
    }
}
