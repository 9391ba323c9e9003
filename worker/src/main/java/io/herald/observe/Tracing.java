package io.herald.observe;

import io.herald.schema.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The worker's OpenTelemetry (docs/operations.md, tracing), configured by the standard {@code OTEL_*} variables and
 * off unless they name an exporter: {@code OTEL_TRACES_EXPORTER=otlp}, or an OTLP endpoint. Off, no span is made and
 * the trace context of a command's record is carried on as it came (to its outcome events and dead letters); on,
 * each attempt and its OneAll call are spans of that trace. The context travels as W3C {@code traceparent} and
 * {@code tracestate} headers whatever {@code OTEL_PROPAGATORS} says: they are the header names of Herald's records.
 */
public final class Tracing implements AutoCloseable {
    private static final String INSTRUMENTATION = "io.herald.worker";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final boolean on;
    /** The SDK was built here, from the environment: {@link #close} shuts it down (a given one is its giver's). */
    private final boolean owned;

    private Tracing(OpenTelemetry openTelemetry, boolean on, boolean owned) {
        this.openTelemetry = openTelemetry;
        this.owned = owned;
        this.tracer =
                openTelemetry.getTracer(INSTRUMENTATION, BuildInfo.current().version());
        this.on = on;
    }

    /** No spans: the trace context of records is carried on as it came. */
    public static Tracing off() {
        return new Tracing(OpenTelemetry.noop(), false, false);
    }

    /** Spans made by the given OpenTelemetry (a test's SDK with an in-memory exporter, an application's own). */
    public static Tracing of(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry, true, false);
    }

    /** As the process's {@code OTEL_*} variables (and {@code otel.*} system properties) say; off by default. */
    public static Tracing fromEnvironment() {
        var exporter = tracesExporter(System.getenv(), System.getProperties());
        if (exporter.equals("none")) {
            return off();
        }
        // herald.jar sends OTLP with the JDK's HTTP client only: http/protobuf, not the SDK's default of grpc
        var defaults = Map.of(
                "otel.traces.exporter", exporter,
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.service.name", "herald");
        try {
            return new Tracing(
                    AutoConfiguredOpenTelemetrySdk.builder()
                            .addPropertiesSupplier(() -> defaults)
                            .build()
                            .getOpenTelemetrySdk(),
                    true,
                    true);
        } catch (ConfigurationException e) {
            // observe is below config: the start ends with this one line, as for any setting it cannot use
            throw new IllegalArgumentException(
                    "OpenTelemetry cannot be configured from the OTEL_* variables: " + reason(e), e);
        }
    }

    /**
     * What OpenTelemetry refused, without a value of the OTLP headers (they may hold a token) and with the credentials
     * of a URL it names masked (an endpoint's user information).
     */
    private static String reason(Throwable error) {
        var cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        var message = String.valueOf(cause.getMessage());
        return message.toLowerCase(Locale.ROOT).contains("headers")
                ? "OTEL_EXPORTER_OTLP_HEADERS (or OTEL_EXPORTER_OTLP_TRACES_HEADERS) is not a list of name=value pairs"
                : UrlCredentials.masked(message);
    }

    /**
     * The traces exporter asked for: {@code OTEL_TRACES_EXPORTER} when set, else {@code otlp} when an OTLP endpoint
     * is, else {@code none}; {@code none} too when {@code OTEL_SDK_DISABLED} is true. A system property
     * ({@code otel.traces.exporter}) comes before its variable, as in OpenTelemetry's own autoconfiguration.
     */
    static String tracesExporter(Map<String, String> environment, Properties properties) {
        var settings = new HashMap<String, String>();
        environment.forEach(
                (name, value) -> settings.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value));
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
        if ("true".equalsIgnoreCase(blankless(settings.get("otel.sdk.disabled")))) {
            return "none";
        }
        var exporter = blankless(settings.get("otel.traces.exporter"));
        if (exporter != null) {
            return exporter.trim().toLowerCase(Locale.ROOT);
        }
        boolean endpoint = blankless(settings.get("otel.exporter.otlp.endpoint")) != null
                || blankless(settings.get("otel.exporter.otlp.traces.endpoint")) != null;
        return endpoint ? "otlp" : "none";
    }

    private static String blankless(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Whether spans are made; off, a command costs no span. */
    public boolean on() {
        return on;
    }

    public Tracer tracer() {
        return tracer;
    }

    /** The remote context a {@code traceparent} (and its {@code tracestate}) names; the root context when none is readable. */
    public static Context parent(String traceparent, String tracestate) {
        if (traceparent == null) {
            return Context.root();
        }
        var carrier = tracestate == null
                ? Map.of(TraceHeaders.TRACEPARENT, traceparent)
                : Map.of(TraceHeaders.TRACEPARENT, traceparent, TraceHeaders.TRACESTATE, tracestate);
        return W3C.extract(Context.root(), carrier, MapGetter.INSTANCE);
    }

    /** The trace context of {@code span} as the headers that carry it on ({@code traceparent}, {@code tracestate}); none when invalid. */
    public static Map<String, String> headers(SpanContext span) {
        if (!span.isValid()) {
            return Map.of();
        }
        var headers = new HashMap<String, String>(2);
        W3C.inject(Context.root().with(Span.wrap(span)), headers, Map::put);
        return headers;
    }

    @Override
    public void close() {
        if (owned && openTelemetry instanceof OpenTelemetrySdk sdk) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private enum MapGetter implements TextMapGetter<Map<String, String>> {
        INSTANCE;

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    }
}
