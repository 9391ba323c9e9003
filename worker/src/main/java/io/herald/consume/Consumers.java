package io.herald.consume;

import io.herald.config.HeraldConfig;
import io.herald.route.KafkaClients;
import java.util.HashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The workers' Kafka consumer, configured once. */
public final class Consumers {
    private static final int MAX_POLL_RECORDS = 1000;
    private static final long KAFKA_FETCH_MAX_BYTES = ConsumerConfig.DEFAULT_FETCH_MAX_BYTES;

    private Consumers() {}

    /** The worker's consumer, with the operator's client properties (security, SASL, TLS, session timeout, ...). */
    public static KafkaConsumer<byte[], byte[]> create(HeraldConfig config, String clientId) {
        var defaults = new HashMap<String, Object>();
        // 1000, not fewer: 44 or 128 records a poll (the bound over the largest command) cost 12 % of the throughput of
        // 200,000 small pushes; a poll's records are raw bytes only while they are handed out within the bound
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        defaults.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, fetchMaxBytes(config.maxBufferedBytes()));
        // A crashed worker's partitions move to the others after 10 s instead of the default 45 s.
        defaults.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        defaults.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        var fixed = new HashMap<String, Object>();
        fixed.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().consumerGroup());
        // The classic protocol with cooperative rebalancing: KIP-848's consumer spun on paused partitions.
        fixed.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        fixed.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        fixed.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        fixed.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        fixed.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollInterval(config));
        var settings = KafkaClients.consumer(config.kafka(), clientId, defaults, fixed);
        return KafkaClients.create(
                config.kafka(),
                () -> new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    /** What one fetch brings ahead: half the serialized size of the records held, at most Kafka's default of 50 MiB. */
    static int fetchMaxBytes(long maxBufferedBytes) {
        return (int) Math.min(KAFKA_FETCH_MAX_BYTES, maxBufferedBytes / Backpressure.PARSED_FACTOR / 2);
    }

    /** How long the poll loop may go without a poll before Kafka takes its partitions (the drain of a revocation fits in it). */
    public static int maxPollInterval(HeraldConfig config) {
        return (int) Math.max(300_000, config.oneall().timeout().toMillis() * 4);
    }
}
