package io.herald.schema;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer side of Herald for applications that embed it: validates each command with the
 * worker's own rules, keys it by its routing key, and sends it with an idempotent {@code acks=all}
 * producer. An invalid command never reaches Kafka: {@link InvalidCommandException} names its
 * broken rules. Thread-safe, as {@link KafkaProducer} is.
 *
 * <p>When the calling thread has a current OpenTelemetry span (the OpenTelemetry Java agent, or the application's own
 * SDK), each record carries its W3C trace context as {@link TraceHeaders#TRACEPARENT} and {@link
 * TraceHeaders#TRACESTATE} headers, so that the worker's spans and the command's outcome events belong to that trace.
 * This takes the OpenTelemetry API only, whose default is a no-op: without a span, no header is written.
 *
 * <pre>{@code
 * try (var herald = HeraldProducer.connect("kafka:9092")) {
 *     herald.send(json).join();
 * }
 * }</pre>
 */
public final class HeraldProducer implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final CommandReader reader = new CommandReader();

    public HeraldProducer(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** A producer to {@code herald.commands} on the given brokers, with Herald's settings. */
    public static HeraldProducer connect(String bootstrapServers) {
        return connect(bootstrapServers, Topics.COMMANDS, Map.of());
    }

    /** A producer to {@code topic}; {@code overrides} may add settings such as security, never weaken acks. */
    public static HeraldProducer connect(String bootstrapServers, String topic, Map<String, Object> overrides) {
        return new HeraldProducer(
                new KafkaProducer<>(
                        producerConfig(bootstrapServers, overrides),
                        new ByteArraySerializer(),
                        new ByteArraySerializer()),
                topic);
    }

    /** Herald's producer settings: idempotent, acks=all, batched and compressed for bulk sends. */
    public static Map<String, Object> producerConfig(String bootstrapServers, Map<String, Object> overrides) {
        var config = new HashMap<String, Object>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Limits.MAX_COMMAND_BYTES + 64 * 1024);
        config.putAll(overrides);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    /** Validates a command and sends it; the future completes when Kafka has it (acks=all). */
    public CompletableFuture<RecordMetadata> send(String json) {
        return send(json.getBytes(StandardCharsets.UTF_8));
    }

    public CompletableFuture<RecordMetadata> send(byte[] value) {
        var validation = reader.read(value);
        if (validation instanceof Validation.Invalid invalid) {
            return CompletableFuture.failedFuture(new InvalidCommandException(invalid));
        }
        return send(((Validation.Valid) validation).command(), value);
    }

    /** Sends a command read earlier, as the bytes it was read from. */
    public CompletableFuture<RecordMetadata> send(Command command, byte[] value) {
        var future = new CompletableFuture<RecordMetadata>();
        var record = new ProducerRecord<>(topic, command.routingKey().getBytes(StandardCharsets.UTF_8), value);
        W3CTraceContextPropagator.getInstance()
                .inject(
                        Context.current(),
                        record,
                        (carrier, name, text) -> carrier.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        producer.send(record, (metadata, exception) -> {
            if (exception != null) {
                future.completeExceptionally(exception);
            } else {
                future.complete(metadata);
            }
        });
        return future;
    }

    /**
     * Validates every command first and sends none unless all are valid, so that a bulk import
     * with one bad line is refused before anything is produced; the future completes when Kafka
     * has all of them (a send that fails midway fails the future; the ledger makes a re-send safe).
     */
    public CompletableFuture<List<RecordMetadata>> sendAll(List<String> commands) {
        var valid = new ArrayList<Command>(commands.size());
        for (var json : commands) {
            var validation = reader.read(json);
            if (validation instanceof Validation.Invalid invalid) {
                return CompletableFuture.failedFuture(new InvalidCommandException(invalid));
            }
            valid.add(((Validation.Valid) validation).command());
        }
        var futures = new ArrayList<CompletableFuture<RecordMetadata>>(valid.size());
        for (int i = 0; i < valid.size(); i++) {
            futures.add(send(valid.get(i), commands.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
