package io.herald.consume;

import io.herald.config.HeraldConfig;
import io.herald.route.KafkaClients;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The workers' consumer lag per partition of the commands topic, from Kafka's Admin client: the group's committed
 * offset against the partition's end offset. A worker commits an offset once the commands before it ended or were
 * parked in the ledger, so the lag is what Kafka holds that no worker has taken on yet.
 */
public final class GroupLag implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 3;

    private final HeraldConfig.Kafka kafka;
    private final Admin admin;
    private final String topic;
    private final String group;

    /** One partition: {@code committed} is null while the group has committed nothing there. */
    public record PartitionLag(int partition, Long committed, long end) {
        public long lag() {
            return Math.max(0, end - (committed == null ? 0 : committed));
        }
    }

    /** The lag of every partition, or why it is unknown. */
    public record Lag(List<PartitionLag> partitions, String unknownBecause) {
        public long total() {
            return partitions.stream().mapToLong(PartitionLag::lag).sum();
        }
    }

    /** {@code clientId} names the reader to the brokers (the console, say). */
    public GroupLag(HeraldConfig config, String clientId) {
        this.kafka = config.kafka();
        this.topic = kafka.commandsTopic();
        this.group = kafka.consumerGroup();
        this.admin = kafka.bootstrapServers() == null
                ? null
                : KafkaClients.createAdmin(
                        kafka,
                        clientId,
                        Map.of(
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                3_000,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                5_000));
    }

    public String topic() {
        return topic;
    }

    public String group() {
        return group;
    }

    public Lag read() {
        if (admin == null) {
            return new Lag(List.of(), "KAFKA_BOOTSTRAP_SERVERS is not set");
        }
        try {
            var description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(topic);
            var partitions = description.partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            var ends = admin.listOffsets(
                            partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            var committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            var lags = new ArrayList<PartitionLag>();
            for (var partition : partitions) {
                var offset = committed.get(partition);
                lags.add(new PartitionLag(
                        partition.partition(),
                        offset == null ? null : offset.offset(),
                        ends.get(partition).offset()));
            }
            lags.sort(Comparator.comparingInt(PartitionLag::partition));
            return new Lag(lags, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lag(List.of(), "interrupted");
        } catch (Exception e) {
            return new Lag(
                    List.of(),
                    KafkaClients.failure(kafka, e, TIMEOUT_SECONDS + " s").getMessage());
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
