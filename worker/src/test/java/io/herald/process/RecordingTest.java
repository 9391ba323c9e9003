package io.herald.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.Classification;
import io.herald.command.CommandStatus;
import io.herald.command.Decision;
import io.herald.command.ErrorClass;
import io.herald.command.api.CallResult;
import io.herald.consume.Delivery;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import io.herald.store.LedgerChange;
import io.herald.store.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What ledger change records a decision for an attempt: its guard, its attempt entry, its dead letter, its event. */
class RecordingTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Recording recording =
            new Recording("herald.dead-letters", "herald.outcomes", "worker-1", Clock.fixed(NOW, ZoneOffset.UTC));

    private static Work push() {
        var value = ("{\"command_id\":\"p\",\"type\":\"push\",\"identity_token\":\"" + IDENTITY
                        + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"Hi\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        var validation = (Validation.Valid) new CommandReader().read(value);
        return new Work(
                new Delivery("herald.commands", 3, 41, null, value, 1, validation, null, RecordHeaders.NONE),
                validation.command(),
                CommandHandler.ref(validation.command()));
    }

    /** Attempt {@code number} under claim {@code token}, whose call OneAll answered {@code status}. */
    private static Attempt called(String token, int number, int status, Classification classification) {
        var answered = new CallResult.Answered(
                status,
                status < 400 ? "success" : "error",
                "info",
                JSON.createObjectNode(),
                Optional.empty(),
                new byte[0]);
        return Attempt.of(push())
                .claiming(token, null, NOW.minusMillis(150), 0)
                .claimed(number, null, 0)
                .called(number, new Work.LastCall(number, NOW.minusMillis(120), 100, answered, classification));
    }

    @Test
    void a_success_is_recorded_under_its_own_claim_with_its_call_and_announced_with_its_attempts() {
        var attempt = called("worker-1:7", 2, 200, new Classification.Success());

        var change = recording.change(
                attempt, new Decision.Finish(CommandStatus.SUCCEEDED, JSON.createObjectNode(), null, 200, false));

        assertThat(change.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(change.guard()).isEqualTo(new LedgerChange.Guard.Claim("worker-1:7"));
        assertThat(change.attempt().attempt()).isEqualTo(2);
        assertThat(change.attempt().workerId()).isEqualTo("worker-1");
        assertThat(change.attempt().durationMs()).isEqualTo(100);
        assertThat(change.outbox()).singleElement().satisfies(event -> {
            assertThat(event.topic()).isEqualTo("herald.outcomes");
            assertThat(new String(event.value(), StandardCharsets.UTF_8))
                    .contains("\"status\":\"succeeded\"")
                    .contains("\"attempts\":2");
        });
        assertThat(change.deadLetter()).isNull();
    }

    @Test
    void a_dead_letter_carries_the_attempts_its_attempt_counts_and_the_answers_status() {
        var attempt = called("worker-1:8", 3, 404, new Classification.Permanent("not found", 404));

        var change = recording.change(
                attempt, new Decision.DeadLetter(ErrorClass.PERMANENT, "OneAll answered 404", 404, false));

        assertThat(change.status()).isEqualTo(CommandStatus.DEAD_LETTERED);
        assertThat(change.guard()).isEqualTo(new LedgerChange.Guard.Claim("worker-1:8"));
        assertThat(change.deadLetter().attempts()).isEqualTo(3);
        assertThat(change.deadLetter().httpStatus()).isEqualTo(404);
        assertThat(change.deadLetter().errorClass()).isEqualTo(ErrorClass.PERMANENT);
        assertThat(change.attempt().attempt()).isEqualTo(3);
    }

    @Test
    void once_its_outcome_is_recorded_an_attempt_writes_its_call_no_second_time() {
        var attempt = called("worker-1:9", 1, 503, new Classification.Transient("busy", 503, Optional.empty()));

        var first = recording.change(attempt, new Decision.Retry(NOW.plusSeconds(4), "busy", 503, null));
        var again = recording.change(attempt.recorded(), new Decision.Retry(NOW.plusSeconds(8), "busy", 503, null));

        assertThat(first.attempt()).isNotNull();
        assertThat(again.attempt()).isNull();
    }

    @Test
    void without_a_claim_the_change_holds_only_while_the_command_is_pending() {
        var change =
                recording.change(Attempt.of(push()), new Decision.Retry(NOW.plusSeconds(4), "not yet", null, null));

        assertThat(change.guard()).isEqualTo(new LedgerChange.Guard.Pending());
        assertThat(change.attempt()).isNull();
    }

    @Test
    void a_late_answer_corrects_only_the_unknown_outcome_of_its_own_attempt() {
        var attempt = called("worker-2:1", 4, 200, new Classification.Success());
        var finish = new Decision.Finish(CommandStatus.SUCCEEDED, JSON.createObjectNode(), null, 200, false);

        var change = recording.change(attempt, new Decision.CorrectLostCall(finish));

        assertThat(change.guard()).isEqualTo(new LedgerChange.Guard.LostCall(4));
        assertThat(change.status()).isEqualTo(CommandStatus.SUCCEEDED);
    }
}
