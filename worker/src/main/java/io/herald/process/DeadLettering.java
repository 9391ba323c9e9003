package io.herald.process;

import io.herald.command.ErrorClass;
import io.herald.consume.Delivery;
import io.herald.route.DeadLetters;
import io.herald.store.LedgerChange;
import java.time.Clock;
import java.time.Instant;

/**
 * A dead letter as a ledger change carries it: the {@code dead_letters} row and the dead-letter topic's record, both of
 * the original record (its place, key, value and headers) with Herald's reason.
 */
final class DeadLettering {
    private final String deadLetterTopic;
    private final Clock clock;

    DeadLettering(String deadLetterTopic, Clock clock) {
        this.deadLetterTopic = deadLetterTopic;
        this.clock = clock;
    }

    /** Adds to {@code change} the dead letter of {@code delivery}'s record. */
    void deadLetter(
            LedgerChange change,
            Delivery delivery,
            ErrorClass errorClass,
            String reason,
            int attempts,
            Integer httpStatus) {
        Instant failedAt = clock.instant();
        var original = new DeadLetters.Original(
                delivery.topic(),
                delivery.partition(),
                delivery.offset(),
                delivery.key(),
                delivery.value(),
                delivery.headers());
        var headers = DeadLetters.headers(original, errorClass, reason, attempts, httpStatus, failedAt);
        change.withDeadLetter(DeadLetters.row(original, headers, errorClass, attempts, httpStatus, failedAt))
                .announcing(DeadLetters.message(deadLetterTopic, original, headers));
    }
}
