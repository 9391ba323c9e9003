package io.herald.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.JsonLogs;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** A line of logback-json.xml as a log shipper reads it: the Elastic Common Schema's field names, and Herald's own. */
class JsonLogLineTest {
    private final CommandLog log = CommandLog.of(JsonLogLineTest.class);

    private static List<String> fields(JsonNode line) {
        var names = new ArrayList<String>();
        line.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void a_line_about_a_command_with_an_exception_has_the_ecs_fields_and_the_command_under_herald() throws Exception {
        var failure = new IllegalStateException("OneAll answered 503", new IOException("connection reset"));
        var before = Instant.now();
        var lines = JsonLogs.during(() -> {
            // a tracer's key, as OpenTelemetry's Logback instrumentation names it
            MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
            try {
                log.error(
                        new CommandLog.About("push-503", "0badc0de", 5, "spring-sale"),
                        "dead-lettered command {}",
                        "push-503",
                        failure);
            } finally {
                MDC.remove("trace_id");
            }
        });

        assertThat(lines).hasSize(1);
        var line = lines.get(0);
        assertThat(fields(line))
                .as("the fields of the line, and no other")
                .containsExactlyInAnyOrder(
                        "@timestamp",
                        "log.level",
                        "message",
                        "ecs.version",
                        "service.name",
                        "service.version",
                        "process.thread.name",
                        "log.logger",
                        "herald.command_id",
                        "herald.routing_key",
                        "herald.partition",
                        "herald.campaign_id",
                        "trace.id",
                        "error.type",
                        "error.message",
                        "error.stack_trace");
        assertThat(line.path("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(Instant.parse(line.path("@timestamp").asText()))
                .isBetween(before.minusMillis(1), Instant.now().plus(Duration.ofSeconds(1)));
        assertThat(line.path("log.level").asText()).isEqualTo("ERROR");
        assertThat(line.path("message").asText()).isEqualTo("dead-lettered command push-503");
        assertThat(line.path("ecs.version").asText()).isEqualTo("1.2.0");
        assertThat(line.path("service.name").asText()).isEqualTo("herald");
        assertThat(line.path("service.version").asText())
                .isEqualTo(BuildInfo.current().version());
        assertThat(line.path("process.thread.name").asText())
                .isEqualTo(Thread.currentThread().getName());
        assertThat(line.path("log.logger").asText()).isEqualTo(JsonLogLineTest.class.getName());
        assertThat(line.path("herald.command_id").asText()).isEqualTo("push-503");
        assertThat(line.path("herald.routing_key").asText()).isEqualTo("0badc0de");
        assertThat(line.path("herald.partition").asText()).isEqualTo("5");
        assertThat(line.path("herald.campaign_id").asText()).isEqualTo("spring-sale");
        assertThat(line.path("trace.id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(line.path("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("error.message").asText()).isEqualTo("OneAll answered 503");
        assertThat(line.path("error.stack_trace").asText())
                .startsWith("java.lang.IllegalStateException: OneAll answered 503")
                .contains("at " + JsonLogLineTest.class.getName())
                .contains("Caused by: java.io.IOException: connection reset");
    }

    @Test
    void a_line_about_no_command_and_no_exception_has_no_herald_trace_or_error_field() throws Exception {
        var lines = JsonLogs.during(
                () -> LoggerFactory.getLogger(JsonLogLineTest.class).info("Herald worker {} stopped", "herald-1"));

        assertThat(lines).hasSize(1);
        assertThat(fields(lines.get(0)))
                .containsExactlyInAnyOrder(
                        "@timestamp",
                        "log.level",
                        "message",
                        "ecs.version",
                        "service.name",
                        "service.version",
                        "process.thread.name",
                        "log.logger");
        assertThat(lines.get(0).path("message").asText()).isEqualTo("Herald worker herald-1 stopped");
        assertThat(lines.get(0).path("log.level").asText()).isEqualTo("INFO");
    }
}
