package io.herald.schema;

import java.util.List;

/** A command was refused before it reached Kafka; {@link #violations()} names each broken rule. */
public final class InvalidCommandException extends RuntimeException {
    private final transient Validation.Invalid invalid;

    public InvalidCommandException(Validation.Invalid invalid) {
        super("invalid command" + invalid.commandId().map(id -> " " + id).orElse("") + ": " + invalid.summary());
        this.invalid = invalid;
    }

    public List<Violation> violations() {
        return invalid.violations();
    }
}
