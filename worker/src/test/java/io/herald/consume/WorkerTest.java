package io.herald.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.observe.Metrics;
import io.herald.schema.Validation;
import io.herald.store.Leases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The poll loop on Kafka's {@link MockConsumer}, with leases taken in memory and a handler whose commands finish when
 * the test says: what it hands out, in which order, and which offsets it commits, on its own thread as in a worker.
 */
@Timeout(60)
class WorkerTest {
    private static final String TOPIC = "commands";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Map<String, String> ACCOUNTS =
            Map.of("a", "0a0a0a0a-0000-4000-8000-000000000000", "b", "0b0b0b0b-0000-4000-8000-000000000000");

    /** Every offset committed, in the order the commits were made, asynchronous or not. */
    private final List<Long> commits = new CopyOnWriteArrayList<>();

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitAsync(
                Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            offsets.values().forEach(offset -> commits.add(offset.offset()));
            super.commitAsync(offsets, callback);
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            offsets.values().forEach(offset -> commits.add(offset.offset()));
            super.commitSync(offsets, timeout);
        }
    };

    /** The commands handed to the handler, in the order they were handed. */
    private final List<String> handed = new CopyOnWriteArrayList<>();

    private final Map<String, CompletableFuture<Disposition>> running = new ConcurrentHashMap<>();
    private final Metrics metrics = new Metrics();
    private Worker worker;
    private Thread pollThread;

    private final LeaseStore leases = new LeaseStore() {
        @Override
        public Leases.Takeover takeOver(String topic, int partition, int generation, Duration horizon) {
            return new Leases.Takeover(generation, Map.of(), List.of());
        }

        @Override
        public List<Leases.Scheduled> scheduled(String topic, int partition, Duration horizon) {
            return List.of();
        }
    };

    @BeforeEach
    void startThePollLoop() {
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        worker = new Worker(
                consumer,
                new Worker.Settings(TOPIC, 100, 1 << 20, Duration.ofMillis(300), Duration.ofMinutes(1)),
                item -> {
                    var delivery = ((RecordHandler.Consumed) item).delivery();
                    var id =
                            ((Validation.Valid) delivery.validation()).command().commandId();
                    var done = new CompletableFuture<Disposition>();
                    running.put(id, done);
                    handed.add(id);
                    return done;
                },
                leases,
                (delay, task) -> {},
                Clock.systemUTC(),
                () -> true,
                metrics);
        pollThread = new Thread(worker, "test-consumer");
        pollThread.start();
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(PARTITION)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        worker.shutdown(Duration.ofMillis(100));
        pollThread.join(10_000);
        metrics.close();
    }

    @Test
    void
            an_accounts_records_are_handed_out_in_offset_order_and_only_offsets_below_the_first_unfinished_are_committed() {
        consumed(List.of(record(0, "a", "a1"), record(1, "b", "b1"), record(2, "a", "a2"), record(3, "b", "b2")));
        await().until(() -> handed.containsAll(List.of("a1", "b1")));
        assertThat(handed).as("a2 waits behind a1, b2 behind b1").containsExactlyInAnyOrder("a1", "b1");

        finish("b1");
        await().until(() -> handed.contains("b2"));
        finish("b2");
        await().until(() -> commits.contains(0L));
        assertThat(commits)
                .as("a1, at offset 0, runs: nothing after it is committed")
                .containsOnly(0L);

        finish("a1");
        await().until(() -> handed.contains("a2"));
        await().until(() -> commits.contains(2L));
        assertThat(commits).as("a2, at offset 2, runs").allMatch(offset -> offset <= 2);

        finish("a2");
        await().until(() -> commits.contains(4L));
        assertThat(handed).containsExactly("a1", "b1", "b2", "a2");
        assertThat(worker.buffered()).isZero();
    }

    @Test
    void a_revoked_partition_hands_out_nothing_more_and_commits_what_finished_before_its_drain_deadline() {
        consumed(List.of(record(0, "b", "b1"), record(1, "a", "a1"), record(2, "a", "a2")));
        await().until(() -> handed.containsAll(List.of("b1", "a1")));
        finish("b1");

        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
        await().until(() -> consumer.assignment().isEmpty() && commits.contains(1L));
        finish("a1");

        assertThat(commits)
                .as("a1, at offset 1, still ran at the drain deadline")
                .allMatch(offset -> offset <= 1);
        assertThat(handed)
                .as("a2 is not handed out once its partition is revoked")
                .containsExactly("b1", "a1");
        assertThat(worker.buffered()).isZero();
    }

    private void consumed(List<ConsumerRecord<byte[], byte[]>> records) {
        await().until(() -> consumer.paused().isEmpty() && consumer.assignment().contains(PARTITION));
        consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
    }

    private void finish(String commandId) {
        running.get(commandId).complete(Disposition.DONE);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String account, String id) {
        var json = "{\"command_id\":\"" + id + "\",\"type\":\"push\",\"identity_token\":\"" + ACCOUNTS.get(account)
                + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"" + id + "\"}}}";
        return new ConsumerRecord<>(
                TOPIC,
                0,
                offset,
                ACCOUNTS.get(account).getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }
}
