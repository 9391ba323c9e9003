package io.herald.route;

import io.herald.config.ConfigException;
import io.herald.config.HeraldConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Herald's topics (docs/commands.md): created at start when missing, with the configured partitions. */
public final class Topology {
    private static final Logger log = LoggerFactory.getLogger(Topology.class);

    private Topology() {}

    /** How long the first answer of the brokers may take before Herald says it cannot reach them. */
    public static final int REACH_SECONDS = 10;

    /**
     * Creates Herald's topics where they are missing. This is the first contact of a worker and of {@code herald
     * enqueue} with the brokers: a broker that does not answer within {@link #REACH_SECONDS}, or that refuses Herald's
     * credentials, ends it with one line naming the brokers ({@link KafkaClients#failure}).
     */
    public static void ensureTopics(HeraldConfig config) {
        var kafka = config.kafka();
        var wanted = List.of(kafka.commandsTopic(), kafka.deadLetterTopic(), kafka.outcomesTopic());
        var admin = KafkaClients.createAdmin(kafka, "herald-topics", Map.of());
        try {
            var existing = admin.listTopics().names().get(REACH_SECONDS, TimeUnit.SECONDS);
            var missing = new ArrayList<NewTopic>();
            for (var topic : wanted) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, kafka.partitions(), (short) -1));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                    log.info("created topic {} with {} partitions", result.getKey(), kafka.partitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw KafkaClients.failure(kafka, e, REACH_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } finally {
            // what is still pending is given up at once: a close without a timeout waits out the admin's own (60 s)
            admin.close(Duration.ZERO);
        }
    }

    /**
     * Refuses to start a worker whose ledger would forget an ended command while its record may still be on the commands
     * topic: such a record, read again (an offset reset, a new consumer group), would be carried out a second time. A
     * record stays until its segment is deleted, which is once the segment's newest record is older than the topic's
     * {@code retention.ms}; a segment rolls at {@code segment.ms}, so a record can stay for both added up. A topic whose
     * configuration cannot be read (a missing DescribeConfigs ACL) is warned about, not refused: Herald cannot know.
     */
    public static void checkRetention(HeraldConfig config) {
        var retention = config.retention();
        if (retention.commands().isZero()) {
            return;
        }
        var topic = config.kafka().commandsTopic();
        var admin = KafkaClients.createAdmin(config.kafka(), "herald-topics", Map.of());
        Duration lifetime;
        try {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            lifetime = lifetime(admin.describeConfigs(List.of(resource))
                    .all()
                    .get(REACH_SECONDS, TimeUnit.SECONDS)
                    .get(resource));
        } catch (ExecutionException | TimeoutException e) {
            log.warn(
                    "the retention of topic {} could not be read ({}); HERALD_RETENTION_COMMANDS_H={} must exceed its"
                            + " retention.ms plus segment.ms, or an id older than the ledger keeps is carried out again",
                    topic,
                    e.getCause() != null ? e.getCause().toString() : e.toString(),
                    retention.commands().toHours());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the retention of topic " + topic, e);
        } finally {
            admin.close(Duration.ZERO);
        }
        if (!retention.outlives(lifetime)) {
            throw new ConfigException(
                    "HERALD_RETENTION_COMMANDS_H=" + retention.commands().toHours()
                            + " must exceed the time a record may stay on topic " + topic + " ("
                            + (lifetime == null
                                    ? "for ever: retention.ms=-1, or cleanup.policy=compact"
                                    : lifetime.toHours() + " h: retention.ms plus segment.ms")
                            + "), or a command pruned from the ledger and read again from the topic is carried out twice;"
                            + " raise it, lower the topic's retention.ms, or set 0 to keep ended commands for ever");
        }
    }

    /**
     * How long a record may stay on a topic of this configuration: its retention plus a segment; null: for ever
     * ({@code retention.ms=-1}, or {@code cleanup.policy=compact} without {@code delete}).
     */
    static Duration lifetime(Config topic) {
        long retentionMs =
                Long.parseLong(topic.get(TopicConfig.RETENTION_MS_CONFIG).value());
        long segmentMs = Long.parseLong(topic.get(TopicConfig.SEGMENT_MS_CONFIG).value());
        var policy = topic.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        // a compacted topic that does not also delete keeps each key's latest record whatever retention.ms says
        boolean deletes =
                policy == null || policy.value() == null || policy.value().contains(TopicConfig.CLEANUP_POLICY_DELETE);
        return retentionMs < 0 || !deletes
                ? null
                : Duration.ofMillis(retentionMs).plusMillis(segmentMs);
    }

    /**
     * Waits until every partition of the new topics is served by its leader: a leader named in the metadata is not yet
     * enough, since the broker may take a moment to act on it. A producer that sends to a partition in that moment gets
     * NOT_LEADER for its first batch while later ones go through, and an idempotent producer can then never append that
     * batch (OUT_OF_ORDER_SEQUENCE until its delivery timeout): measured with the embedded broker, 702 of 30,000 sends
     * were lost so. Listing a partition's offsets is answered by its leader only, so once every partition answers, the
     * leaders serve.
     */
    private static void awaitLeaders(Admin admin, List<String> topics)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                // a topic just created may not be known yet to the broker asked (UnknownTopicOrPartition): retried too
                var latest = new HashMap<TopicPartition, OffsetSpec>();
                admin.describeTopics(topics)
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .values()
                        .forEach(d -> d.partitions()
                                .forEach(p ->
                                        latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
