package io.herald.config;

/** A setting has a value Herald cannot use; the message names the variable. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
