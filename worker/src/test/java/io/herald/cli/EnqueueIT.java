package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.config.HeraldConfig;
import io.herald.route.Topology;
import io.herald.schema.HeraldProducer;
import io.herald.testing.TestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(300)
class EnqueueIT {
    private final String bootstrap = TestInfrastructure.get().bootstrapServers();

    @Test
    void enqueues_100k_valid_commands_reports_the_invalid_lines_and_sends_none_of_them(@TempDir java.nio.file.Path dir)
            throws IOException {
        var topic = TestInfrastructure.randomTopic("enqueue");
        var config = HeraldConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                bootstrap,
                "HERALD_TOPIC_COMMANDS",
                topic,
                "HERALD_TOPIC_PARTITIONS",
                "6",
                "HERALD_TOPIC_DLT",
                topic + ".dlt",
                "HERALD_TOPIC_OUTCOMES",
                topic + ".outcomes"));
        Topology.ensureTopics(config);
        var file = dir.resolve("commands.jsonl");
        int valid = 100_000;
        try (var out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < valid; i++) {
                out.write("{\"command_id\":\"cmd-" + i + "\",\"type\":\"push\",\"identity_token\":\""
                        + UUID.randomUUID()
                        + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"Hello " + i + "\"}}}\n");
                if (i % 25_000 == 0) {
                    out.write("{\"command_id\":\"bad-" + i + "\",\"type\":\"push\"}\n");
                }
            }
            out.write("not json at all\n");
        }
        var errors = new ByteArrayOutputStream();

        EnqueueCommand.Enqueue.Summary summary;
        try (var producer = HeraldProducer.connect(bootstrap, topic, Map.of());
                var in = Files.newInputStream(file)) {
            summary = new EnqueueCommand.Enqueue(producer, null, new PrintStream(errors, true, StandardCharsets.UTF_8))
                    .run(in);
        }
        System.out.println("[herald-test] enqueue of 100,000 commands: " + summary);

        assertThat(summary.sent()).isEqualTo(valid);
        assertThat(summary.rejected()).isEqualTo(5);
        assertThat(summary.failed()).isZero();
        var report = errors.toString(StandardCharsets.UTF_8);
        assertThat(report)
                .contains("line 2: /identity_token: identity_token is required")
                .contains("not valid JSON");
        assertThat(consumeIds(topic, valid)).hasSize(valid).noneMatch(id -> id.startsWith("bad-"));
    }

    private Set<String> consumeIds(String topic, int expected) {
        var ids = new HashSet<String>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "check-" + topic,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (ids.size() < expected && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    var value = new String(record.value(), StandardCharsets.UTF_8);
                    var id = value.substring(
                            "{\"command_id\":\"".length(), value.indexOf('"', "{\"command_id\":\"".length()));
                    ids.add(id);
                    assertThat(record.key()).isNotNull();
                }
            }
        }
        return ids;
    }
}
