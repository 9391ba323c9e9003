package io.herald.config;

import io.herald.observe.UrlCredentials;
import java.util.Optional;
import java.util.function.Function;

/**
 * One environment variable, defined once: its name, its default (null when it has none), how it is read,
 * whether it is a secret, what it means and which part of Herald needs it. The configuration record, the
 * documented table and the masked start-up log are all derived from these (as Kafka's {@code ConfigDef}).
 *
 * @param documentedDefault the default as the docs show it, e.g. {@code 30000} or {@code (empty)}
 * @param needs             the connection that cannot work without it, for settings without a default
 */
public record Setting<T>(
        String name,
        T defaultValue,
        String documentedDefault,
        Function<String, T> parser,
        boolean secret,
        String description,
        Need needs) {

    /** Which connection a setting without a default belongs to: a subcommand names the ones it needs. */
    public enum Need {
        NONE,
        KAFKA,
        DATABASE,
        ONEALL
    }

    public Setting {
        if (defaultValue == null && needs == Need.NONE) {
            throw new IllegalArgumentException(name + " has neither a default nor a connection that needs it");
        }
    }

    /** Reads the variable's value; the default when it is unset or blank; empty when it has no default either. */
    Optional<T> read(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.ofNullable(defaultValue);
        }
        try {
            return Optional.of(parser.apply(raw.trim()));
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            var value = raw.trim();
            var shown = secret ? "****" : UrlCredentials.masked(value);
            // a parser's message may quote the value (URI's does)
            var reason = e instanceof NumberFormatException
                    ? "expected a whole number"
                    : String.valueOf(e.getMessage()).replace(value, shown);
            throw new ConfigException(name + " has an invalid value '" + shown + "': " + reason);
        }
    }

    /** The value as the start-up log shows it: secrets masked, and the credentials of a URL. */
    String shown(Object value) {
        if (value == null) {
            return "(unset)";
        }
        if (secret) {
            return value instanceof Secret s && s.isEmpty() ? "(empty)" : "****";
        }
        return value instanceof java.time.Duration duration
                ? Long.toString(inUnitOfName(duration))
                : UrlCredentials.masked(value.toString());
    }

    /** A duration in the unit its variable's name ends with: {@code _MS}, {@code _S} or {@code _H}. */
    long inUnitOfName(java.time.Duration duration) {
        return name.endsWith("_MS")
                ? duration.toMillis()
                : name.endsWith("_H") ? duration.toHours() : duration.toSeconds();
    }
}
