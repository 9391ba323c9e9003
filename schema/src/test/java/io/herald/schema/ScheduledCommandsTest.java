package io.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code not_before}: any command may be scheduled, up to 366 days ahead of the moment it is read. */
class ScheduledCommandsTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";
    private static final String MESSAGE = "328ef915-da13-4b58-83f6-6a35af3b08c0";

    private final CommandReader reader = new CommandReader(Clock.fixed(NOW, ZoneOffset.UTC));

    private static String push(String notBefore) {
        return "{\"command_id\":\"c1\",\"type\":\"push\",\"not_before\":" + notBefore + ",\"identity_token\":\""
                + IDENTITY + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"hi\"}}}";
    }

    private Command valid(String json) {
        var validation = reader.read(json);
        assertThat(validation).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) validation).command();
    }

    private Violation onlyViolation(String json) {
        var validation = reader.read(json);
        assertThat(validation).isInstanceOf(Validation.Invalid.class);
        var violations = ((Validation.Invalid) validation).violations();
        assertThat(violations).hasSize(1);
        return violations.get(0);
    }

    @Test
    void a_not_before_a_week_ahead_is_kept_on_the_envelope() {
        var command = valid(push("\"2026-06-08T12:00:00Z\""));

        assertThat(command.envelope().notBefore()).contains(Instant.parse("2026-06-08T12:00:00Z"));
    }

    @Test
    void a_not_before_in_the_past_is_valid_and_kept_as_given() {
        var command = valid(push("\"2020-01-01T00:00:00Z\""));

        assertThat(command.envelope().notBefore()).contains(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void a_command_without_not_before_has_none() {
        var command = valid(push("null"));

        assertThat(command.envelope().notBefore()).isEmpty();
    }

    @Test
    void exactly_366_days_ahead_is_still_valid() {
        var limit = NOW.plus(Duration.ofDays(366));

        assertThat(valid(push("\"" + limit + "\"")).envelope().notBefore()).contains(limit);
    }

    @Test
    void a_second_more_than_366_days_ahead_is_invalid_and_says_so() {
        var violation = onlyViolation(push("\"" + NOW.plus(Duration.ofDays(366)).plusSeconds(1) + "\""));

        assertThat(violation.pointer()).isEqualTo("/not_before");
        assertThat(violation.rule()).isEqualTo("max-ahead");
        assertThat(violation.message()).startsWith("not_before is more than 366 days ahead");
    }

    @Test
    void the_limit_moves_with_the_clock() {
        var json = push("\"2027-06-10T00:00:00Z\"");

        assertThat(reader.read(json)).isInstanceOf(Validation.Invalid.class);
        assertThat(new CommandReader(Clock.fixed(NOW.plus(Duration.ofDays(30)), ZoneOffset.UTC)).read(json))
                .isInstanceOf(Validation.Valid.class);
    }

    @Test
    void the_default_reader_judges_against_the_system_clock() {
        var soon = Instant.now().plus(Duration.ofDays(1));
        var tooLate = Instant.now().plus(Duration.ofDays(400));

        assertThat(new CommandReader().read(push("\"" + soon + "\""))).isInstanceOf(Validation.Valid.class);
        assertThat(new CommandReader().read(push("\"" + tooLate + "\""))).isInstanceOf(Validation.Invalid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"tomorrow\"", "\"2026-06-08\"", "\"2026-06-08T12:00:00\"", "\"2026-13-01T00:00:00Z\""})
    void a_not_before_that_is_no_instant_names_the_field(String value) {
        var violation = onlyViolation(push(value));

        assertThat(violation.pointer()).isEqualTo("/not_before");
        assertThat(violation.rule()).isEqualTo("instant");
    }

    @Test
    void a_not_before_given_as_epoch_seconds_is_refused_as_not_a_string() {
        var violation = onlyViolation(push("1780000000"));

        assertThat(violation.pointer()).isEqualTo("/not_before");
        assertThat(violation.rule()).isEqualTo("string");
    }

    @Test
    void every_command_type_may_be_scheduled() {
        var notBefore = ",\"not_before\":\"2026-07-01T00:00:00Z\"}";
        var commands = new String[] {
            push("\"2026-07-01T00:00:00Z\""),
            "{\"command_id\":\"p\",\"type\":\"publish\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"hi\"}},"
                    + "\"publish_for_identity\":{\"identity_token\":\"" + IDENTITY + "\"}}" + notBefore,
            "{\"command_id\":\"r\",\"type\":\"republish\",\"sharing_message_token\":\"" + MESSAGE
                    + "\",\"sharing_message\":{\"publish_for_identity\":{\"identity_token\":\"" + IDENTITY + "\"}}"
                    + notBefore,
            "{\"command_id\":\"d\",\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE + "\"" + notBefore,
            "{\"command_id\":\"f\",\"type\":\"refresh\",\"sharing_message_token\":\"" + MESSAGE + "\"" + notBefore,
            "{\"command_id\":\"c\",\"type\":\"campaign\",\"campaign_id\":\"c\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}},"
                    + "\"recipients\":[{\"identity_token\":\"" + IDENTITY + "\"}]" + notBefore
        };

        for (var json : commands) {
            assertThat(valid(json).envelope().notBefore()).as(json).contains(Instant.parse("2026-07-01T00:00:00Z"));
        }
    }

    @Test
    void a_scheduled_campaign_carries_not_before_for_its_recipients() {
        var campaign = (Command.Campaign) valid("{\"command_id\":\"c\",\"type\":\"campaign\",\"campaign_id\":\"sale\","
                + "\"not_before\":\"2026-06-02T08:00:00Z\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}},"
                + "\"recipients\":[{\"identity_token\":\"" + IDENTITY + "\"}]}");

        assertThat(campaign.envelope().notBefore()).contains(Instant.parse("2026-06-02T08:00:00Z"));
        assertThat(campaign.envelope().campaignId()).contains("sale");
    }

    @Test
    void an_envelope_built_without_not_before_has_none() {
        var envelope = new Command.Envelope("c1", Optional.empty(), Optional.empty(), Map.of());

        assertThat(envelope.notBefore()).isEmpty();
    }
}
