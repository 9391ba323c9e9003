package io.herald.route;

import io.herald.config.HeraldConfig;
import io.herald.store.OutboxMessage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The worker's producer for dead letters, outcome events and re-enqueued commands: idempotent,
 * acks=all. Completions run on a thread of their own, never on the producer's network thread: a
 * continuation that sends again from there would wait for metadata only that thread can fetch.
 */
public final class Publisher implements AutoCloseable {
    static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);

    private final Producer<byte[], byte[]> producer;
    private final ExecutorService completions = Executors.newSingleThreadExecutor(runnable -> {
        var thread = new Thread(runnable, "herald-publisher");
        thread.setDaemon(true);
        return thread;
    });

    public Publisher(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** Fetches the topics' metadata now, so that the first sends do not wait for it. */
    public void warmUp(String... topics) {
        for (var topic : topics) {
            producer.partitionsFor(topic);
        }
    }

    /**
     * A producer to the configured brokers with the operator's client properties (security, SASL, TLS): idempotent,
     * acks=all, and retrying a record until Kafka has it, whatever the properties say.
     */
    public static Publisher connect(HeraldConfig.Kafka kafka, String clientId) {
        var settings = KafkaClients.producer(
                kafka,
                clientId,
                Map.of(
                        ProducerConfig.LINGER_MS_CONFIG,
                        2,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4",
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        2 * 1024 * 1024),
                Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        Integer.MAX_VALUE));
        return new Publisher(KafkaClients.create(
                kafka, () -> new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())));
    }

    /** Completes when Kafka has the record (acks=all); the producer retries until it does. */
    public CompletionStage<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        var future = new CompletableFuture<RecordMetadata>();
        producer.send(
                record,
                (metadata, exception) -> completions.execute(() -> {
                    if (exception != null) {
                        future.completeExceptionally(exception);
                    } else {
                        future.complete(metadata);
                    }
                }));
        return future;
    }

    /** The same for a message of the application's own, which says nothing of Kafka's types. */
    public CompletionStage<Void> send(OutboxMessage message) {
        return send(OutboxRelay.record(message)).thenApply(metadata -> null);
    }

    /** The producer itself, for its client metrics. */
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    public void flush() {
        producer.flush();
    }

    /**
     * Closes the producer within {@link #CLOSE_WITHIN}: with the broker gone it would otherwise wait for ever for the
     * records it holds. None is lost by not waiting: an outcome event or a dead letter stays in the outbox until Kafka
     * has it, and a campaign step goes on only once Kafka acknowledged what it produced.
     */
    @Override
    public void close() {
        producer.close(CLOSE_WITHIN);
        completions.shutdown();
    }
}
