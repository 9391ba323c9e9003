package io.herald.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterTopicTest {
    private static final Map<String, String> HEADERS = Map.of(
            "herald-error-class", "exhausted",
            "herald-error", "OneAll answered 503",
            "herald-original-topic", "herald.commands",
            "herald-original-partition", "3",
            "herald-original-offset", "42",
            "herald-failed-at", "2026-12-06T08:00:00.123456789Z");

    @Test
    void a_letter_names_its_command_and_its_place_on_the_commands_topic() {
        var letter = DeadLetterTopic.letter(
                0,
                7,
                "k".getBytes(StandardCharsets.UTF_8),
                "{\"command_id\":\"c-1\",\"type\":\"push\",\"campaign_id\":\"spring\"}"
                        .getBytes(StandardCharsets.UTF_8),
                HEADERS);

        assertThat(letter.commandId()).isEqualTo("c-1");
        assertThat(letter.type()).isEqualTo("push");
        assertThat(letter.campaignId()).isEqualTo("spring");
        assertThat(letter.errorClass()).isEqualTo("exhausted");
        assertThat(letter.origin()).isEqualTo("herald.commands/3/42");
        assertThat(letter.failedAt()).hasToString("2026-12-06T08:00:00.123456789Z");
        assertThat(letter.heralds()).isTrue();
    }

    @Test
    void a_record_that_was_no_command_or_that_herald_did_not_write_is_said_so() {
        var notJson = DeadLetterTopic.letter(0, 1, null, new byte[] {(byte) 0xff, 0}, HEADERS);
        assertThat(notJson.commandId()).isNull();
        assertThat(notJson.type()).isNull();
        assertThat(notJson.heralds()).isTrue();

        var foreign = DeadLetterTopic.letter(
                0,
                2,
                null,
                "{\"command_id\":7}".getBytes(StandardCharsets.UTF_8),
                Map.of("herald-failed-at", "yesterday"));
        assertThat(foreign.commandId()).as("a command_id that is no string").isNull();
        assertThat(foreign.failedAt()).isNull();
        assertThat(foreign.origin()).isNull();
        assertThat(foreign.heralds()).isFalse();
    }
}
