package io.herald.schema;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@link CommandReader} makes of a Kafka value: a command, or the rules it breaks. */
public sealed interface Validation {

    /** The value is a valid command. */
    record Valid(Command command) implements Validation {}

    /**
     * The value is not a valid command. The {@code command_id} and {@code type}, when they could be
     * read, are given so that a dead letter can still name them.
     */
    record Invalid(List<Violation> violations, Optional<String> commandId, Optional<String> type)
            implements Validation {
        public Invalid {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid command breaks at least one rule");
            }
        }

        /** All violations on one line, for a dead letter's {@code herald-error} header. */
        public String summary() {
            return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        }
    }
}
