package io.herald.config;

/** A secret value (a private key, a password) whose {@code toString} never reveals it. */
public record Secret(String value) {
    public Secret {
        if (value == null) {
            throw new IllegalArgumentException("a secret cannot be null");
        }
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "****";
    }
}
