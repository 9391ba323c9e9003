package io.herald.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.DeadLetterStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a replay plans for a letter, without Kafka or a database. */
class ReplayTest {
    private static DeadLetterStore.DeadLetter letter(long id, String errorClass, String commandStatus) {
        return new DeadLetterStore.DeadLetter(
                id,
                "order-7",
                "push",
                errorClass,
                "why",
                Instant.parse("2026-12-01T10:00:00Z"),
                "key".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                commandStatus,
                null,
                false,
                null,
                0,
                io.herald.store.RecordHeaders.NONE);
    }

    @Test
    void a_conflict_letter_is_never_replayed_whatever_its_command_became_and_says_to_use_a_new_id() {
        var steps = Replay.plan(List.of(
                letter(1, "conflict", "dead_lettered"),
                letter(2, "conflict", "pending"),
                letter(3, "exhausted", "dead_lettered")));

        assertThat(steps.get(0).skipReason())
                .isEqualTo("reuse of command id order-7 with another body; never replayed: produce it under a new id");
        assertThat(steps.get(1).skipped()).isTrue();
        assertThat(steps.get(2).skipped())
                .as("the command's own letter beside it is replayed")
                .isFalse();
    }

    @Test
    void conflict_is_a_class_a_replay_takes_by_default_and_by_name() {
        assertThat(Replay.classes(null)).contains("conflict").doesNotContain("unknown-outcome");
        assertThat(Replay.classes(List.of("conflict"))).containsExactly("conflict");
    }
}
