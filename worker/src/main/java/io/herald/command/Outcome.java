package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** How a command ended: the value recorded in the ledger and announced on {@code herald.outcomes}. */
public sealed interface Outcome {

    /** The status in the {@code commands} table. */
    String status();

    /** OneAll did what was asked; {@code result} is OneAll's {@code result.data} (null for a delete). */
    record Succeeded(JsonNode result, int httpStatus) implements Outcome {
        @Override
        public String status() {
            return "succeeded";
        }
    }

    /** Some publications of a publish failed for good; the others are recorded. */
    record Partial(JsonNode result, int httpStatus, String reason) implements Outcome {
        public Partial {
            Objects.requireNonNull(reason, "a partial outcome says what failed");
        }

        @Override
        public String status() {
            return "partial";
        }
    }

    /** Dead-lettered; {@code httpStatus} is null when OneAll never answered. */
    record DeadLetter(ErrorClass errorClass, String reason, Integer httpStatus) implements Outcome {
        public DeadLetter {
            Objects.requireNonNull(errorClass, "a dead letter has an error class");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a dead letter says why");
            }
        }

        @Override
        public String status() {
            return "dead_lettered";
        }
    }
}
