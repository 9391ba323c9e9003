package io.herald.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TracingTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void tracing_is_off_unless_an_exporter_or_an_otlp_endpoint_is_named() {
        assertThat(exporter(Map.of())).isEqualTo("none");
        assertThat(exporter(Map.of("OTEL_SERVICE_NAME", "herald-eu"))).isEqualTo("none");
        assertThat(exporter(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isEqualTo("otlp");
        assertThat(exporter(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")))
                .isEqualTo("otlp");
        assertThat(exporter(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces")))
                .isEqualTo("otlp");
        assertThat(exporter(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_TRACES_EXPORTER", "none")))
                .isEqualTo("none");
        assertThat(exporter(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "true")))
                .isEqualTo("none");
    }

    @Test
    void a_system_property_comes_before_its_variable() {
        var properties = new Properties();
        properties.setProperty("otel.traces.exporter", "none");

        assertThat(Tracing.tracesExporter(Map.of("OTEL_TRACES_EXPORTER", "otlp"), properties))
                .isEqualTo("none");
    }

    @Test
    void a_traceparent_read_is_written_again_as_it_came_and_an_unreadable_one_is_no_trace() {
        var context = Span.fromContext(Tracing.parent(TRACEPARENT, "vendor=1")).getSpanContext();

        assertThat(context.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(Tracing.headers(context))
                .containsEntry("traceparent", TRACEPARENT)
                .containsEntry("tracestate", "vendor=1");
        assertThat(Tracing.headers(
                        Span.fromContext(Tracing.parent("garbage", null)).getSpanContext()))
                .isEmpty();
        assertThat(Tracing.headers(Span.fromContext(Tracing.parent(null, null)).getSpanContext()))
                .isEmpty();
    }

    @Test
    void off_no_span_is_made() {
        assertThat(Tracing.off().on()).isFalse();
    }

    @Test
    void an_endpoint_it_refuses_is_named_without_its_credentials() {
        System.setProperty("otel.traces.exporter", "otlp");
        System.setProperty("otel.exporter.otlp.endpoint", "http://herald:s3cret@collector host:4318/");
        try {
            assertThatThrownBy(Tracing::fromEnvironment)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("OpenTelemetry cannot be configured from the OTEL_* variables: ")
                    .hasMessageContaining("http://herald:****@collector host")
                    .hasMessageNotContaining("s3cret");
        } finally {
            System.clearProperty("otel.traces.exporter");
            System.clearProperty("otel.exporter.otlp.endpoint");
        }
    }

    private static String exporter(Map<String, String> environment) {
        return Tracing.tracesExporter(environment, new Properties());
    }
}
