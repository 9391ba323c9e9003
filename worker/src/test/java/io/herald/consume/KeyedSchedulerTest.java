package io.herald.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KeyedSchedulerTest {
    private final List<String> started = new ArrayList<>();
    private final Map<String, CompletableFuture<Void>> running = new HashMap<>();
    private final KeyedScheduler scheduler = new KeyedScheduler(record -> {
        var name = new String(record.value(), StandardCharsets.UTF_8);
        started.add(name);
        var future = new CompletableFuture<Void>();
        running.put(name, future);
        return future;
    });

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String key, String value) {
        return new ConsumerRecord<>("t", partition, offset, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void records_of_one_key_run_one_after_the_other_and_other_keys_run_alongside() {
        scheduler.add(record(0, 0, "a", "a1"));
        scheduler.add(record(0, 1, "a", "a2"));
        scheduler.add(record(0, 2, "b", "b1"));

        assertThat(started).containsExactly("a1", "b1");
        running.get("a1").complete(null);
        assertThat(started).containsExactly("a1", "b1", "a2");
    }

    @Test
    void the_commit_waits_for_the_lowest_unfinished_record_of_the_partition() {
        scheduler.add(record(0, 0, "a", "a1"));
        scheduler.add(record(0, 1, "b", "b1"));
        running.get("b1").complete(null);

        assertThat(scheduler.toCommit()).containsEntry(new TopicPartition("t", 0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(0));
        running.get("a1").complete(null);
        assertThat(scheduler.toCommit()).containsEntry(new TopicPartition("t", 0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(2));
        assertThat(scheduler.buffered()).isZero();
    }

    @Test
    void a_record_that_fails_unexpectedly_holds_its_offset_back_so_that_it_is_not_lost() {
        scheduler.add(record(0, 0, "a", "a1"));
        scheduler.add(record(0, 1, "b", "b1"));
        running.get("a1").completeExceptionally(new IllegalStateException("bug"));
        running.get("b1").complete(null);

        assertThat(scheduler.toCommit()).containsEntry(new TopicPartition("t", 0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(0));
    }

    @Test
    void a_revoked_partition_starts_nothing_more_and_releases_what_is_done() {
        var partition = new TopicPartition("t", 0);
        scheduler.add(record(0, 0, "a", "a1"));
        scheduler.add(record(0, 1, "a", "a2"));

        scheduler.revoke(List.of(partition));
        assertThat(scheduler.running(List.of(partition))).isTrue();
        running.get("a1").complete(null);

        assertThat(started).containsExactly("a1");
        assertThat(scheduler.running(List.of(partition))).isFalse();
        assertThat(scheduler.release(List.of(partition))).containsEntry(partition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(1));
        assertThat(scheduler.buffered()).isZero();
    }
}
