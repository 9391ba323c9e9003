package io.herald.cli;

import io.herald.observe.Tracing;
import io.herald.schema.Command;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A span per command that {@code herald enqueue} produces, when tracing is on (the {@code OTEL_*} variables): current
 * while the command is handed to the producer, so that its record carries the span's {@code traceparent} and the
 * worker's spans of the command belong to its trace; ended when Kafka has the record. Off, the send is as it was.
 */
final class ProducerSpans {
    private final Tracing tracing;
    private final String topic;

    ProducerSpans(Tracing tracing, String topic) {
        this.tracing = tracing;
        this.topic = topic;
    }

    static ProducerSpans off() {
        return new ProducerSpans(Tracing.off(), null);
    }

    @SuppressWarnings("try") // the scope makes the span current for the producer; it is not read here
    <T> CompletableFuture<T> send(Command command, Supplier<CompletableFuture<T>> send) {
        if (!tracing.on()) {
            return send.get();
        }
        var span = tracing.tracer()
                .spanBuilder("send " + topic)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("herald.command.id", command.commandId())
                .setAttribute("herald.command.type", command.type().wireName())
                .startSpan();
        CompletableFuture<T> sent;
        try (var scope = span.makeCurrent()) {
            sent = send.get();
        }
        return sent.whenComplete((result, error) -> {
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error.getClass().getName());
            }
            span.end();
        });
    }
}
