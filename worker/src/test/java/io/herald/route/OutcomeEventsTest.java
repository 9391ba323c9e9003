package io.herald.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.ErrorClass;
import io.herald.schema.OutcomeHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The outcome event's JSON and headers as docs/commands.md describes them; the cancel statement builds the same JSON in
 * SQL, which {@code store.CancellationsIT} compares with this builder's.
 */
class OutcomeEventsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void a_succeeded_command_s_event_has_its_result_metadata_and_campaign_and_no_error() throws Exception {
        var event = OutcomeEvents.event(
                "herald.outcomes",
                "k1:0",
                "publish",
                "succeeded",
                1,
                "k1",
                Map.of("order", "42"),
                MAPPER.readTree("{\"sharing_message_token\": \"t\"}"),
                null);

        assertThat(event.topic()).isEqualTo("herald.outcomes");
        assertThat(new String(event.key(), StandardCharsets.UTF_8)).isEqualTo("k1:0");
        assertThat(MAPPER.readTree(event.value())).isEqualTo(MAPPER.readTree("""
                        {"command_id": "k1:0", "type": "publish", "status": "succeeded", "attempts": 1, "campaign_id": "k1",
                         "metadata": {"order": "42"}, "result": {"sharing_message_token": "t"}}"""));
        assertThat(event.headers())
                .containsEntry(OutcomeHeaders.COMMAND_ID, "k1:0")
                .containsEntry(OutcomeHeaders.TYPE, "publish")
                .containsEntry(OutcomeHeaders.STATUS, "succeeded");
    }

    @Test
    void a_failed_command_s_event_names_its_error_on_one_line_and_leaves_out_what_it_did_not_have() throws Exception {
        var event = OutcomeEvents.event(
                "herald.outcomes",
                "c",
                "push",
                "dead_lettered",
                3,
                null,
                Map.of(),
                null,
                new OutcomeEvents.Error(ErrorClass.PERMANENT, "OneAll answered 400:\nbad token", 400));

        assertThat(MAPPER.readTree(event.value())).isEqualTo(MAPPER.readTree("""
                        {"command_id": "c", "type": "push", "status": "dead_lettered", "attempts": 3,
                         "error": {"class": "permanent", "message": "OneAll answered 400: bad token", "http_status": 400}}"""));
    }

    @Test
    void the_event_takes_other_headers_and_keeps_its_value() {
        var event = OutcomeEvents.event("o", "c", "push", "held", 1, null, null, null, null);

        var traced = OutcomeEvents.withHeaders(event, Map.of("traceparent", "00-1-2-01"));

        assertThat(traced.value()).isEqualTo(event.value());
        assertThat(traced.headers()).containsOnly(Map.entry("traceparent", "00-1-2-01"));
    }
}
