package io.herald.consume;

import io.herald.observe.Metrics;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** The consumer lag of each assigned partition, read on the poll thread (which alone may touch the consumer), scraped from a copy. */
final class ConsumerLag {
    private static final long UPDATE_NANOS = 5_000_000_000L;

    private final Consumer<byte[], byte[]> consumer;
    private final Metrics metrics;
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    private long lastUpdate;

    ConsumerLag(Consumer<byte[], byte[]> consumer, Metrics metrics) {
        this.consumer = consumer;
        this.metrics = metrics;
    }

    void track(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> metrics.gauge(
                "herald_consumer_lag",
                "records of a partition not yet consumed",
                () -> lag.getOrDefault(partition, 0L),
                "partition",
                Integer.toString(partition.partition())));
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(lag::remove);
        partitions.forEach(partition ->
                metrics.removeGauge("herald_consumer_lag", "partition", Integer.toString(partition.partition())));
    }

    void update() {
        long now = System.nanoTime();
        if (now - lastUpdate < UPDATE_NANOS) {
            return;
        }
        lastUpdate = now;
        for (var partition : consumer.assignment()) {
            consumer.currentLag(partition).ifPresent(value -> lag.put(partition, value));
        }
    }
}
