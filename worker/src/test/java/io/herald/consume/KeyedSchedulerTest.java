package io.herald.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.herald.process.Disposition;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KeyedSchedulerTest {
    private final List<String> started = new ArrayList<>();
    private final Map<String, CompletableFuture<Disposition>> running = new HashMap<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<java.util.function.BooleanSupplier> drainOwned = new ArrayList<>();
    private final KeyedScheduler scheduler = new KeyedScheduler(new ProcessingSteps() {
        @Override
        public CompletableFuture<Disposition> process(ConsumerRecord<byte[], byte[]> record) {
            return start(new String(record.value(), StandardCharsets.UTF_8));
        }

        @Override
        public CompletableFuture<Disposition> park(ConsumerRecord<byte[], byte[]> record) {
            return start("park:" + new String(record.value(), StandardCharsets.UTF_8));
        }

        @Override
        public CompletableFuture<Disposition> drain(String topic, int partition, byte[] key, java.util.function.BooleanSupplier owned) {
            drainOwned.add(owned);
            return start("drain:" + new String(key, StandardCharsets.UTF_8));
        }
    }, (delay, task) -> timers.add(task), Clock.systemUTC());

    private CompletableFuture<Disposition> start(String name) {
        started.add(name);
        var future = new CompletableFuture<Disposition>();
        running.put(name, future);
        return future;
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String key, String value) {
        return new ConsumerRecord<>("t", partition, offset, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void records_of_one_key_run_one_after_the_other_and_other_keys_run_alongside() {
        scheduler.add(record(0, 0, "a", "a1"));
        scheduler.add(record(0, 1, "a", "a2"));
        scheduler.add(record(0, 2, "b", "b1"));

        assertThat(started).containsExactly("a1", "b1");
        running.get("a1").complete(Disposition.DONE);
        assertThat(started).containsExactly("a1", "b1", "a2");
    }

    @Test
    void the_commit_waits_for_the_lowest_unfinished_record_of_the_partition() {
        scheduler.add(record(0, 0, "a", "a1"));
        scheduler.add(record(0, 1, "b", "b1"));
        running.get("b1").complete(Disposition.DONE);

        assertThat(scheduler.toCommit()).containsEntry(new TopicPartition("t", 0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(0));
        running.get("a1").complete(Disposition.DONE);
        assertThat(scheduler.toCommit()).containsEntry(new TopicPartition("t", 0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(2));
        assertThat(scheduler.buffered()).isZero();
    }

    @Test
    void a_record_that_fails_unexpectedly_holds_its_offset_back_so_that_it_is_not_lost() {
        scheduler.add(record(0, 0, "a", "a1"));
        scheduler.add(record(0, 1, "b", "b1"));
        running.get("a1").completeExceptionally(new IllegalStateException("bug"));
        running.get("b1").complete(Disposition.DONE);

        assertThat(scheduler.toCommit()).containsEntry(new TopicPartition("t", 0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(0));
    }

    @Test
    void a_revoked_partition_starts_nothing_more_and_releases_what_is_done() {
        var partition = new TopicPartition("t", 0);
        scheduler.add(record(0, 0, "a", "a1"));
        scheduler.add(record(0, 1, "a", "a2"));

        scheduler.revoke(List.of(partition));
        assertThat(scheduler.running(List.of(partition))).isTrue();
        running.get("a1").complete(Disposition.DONE);

        assertThat(started).containsExactly("a1");
        assertThat(scheduler.running(List.of(partition))).isFalse();
        assertThat(scheduler.release(List.of(partition))).containsEntry(partition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(1));
        assertThat(scheduler.buffered()).isZero();
    }

    @Test
    void a_key_whose_command_waits_for_a_retry_parks_its_later_records_and_lets_their_offsets_be_committed() {
        var partition = new TopicPartition("t", 0);
        scheduler.add(record(0, 0, "a", "a1"));
        scheduler.add(record(0, 1, "a", "a2"));
        running.get("a1").complete(new Disposition.Parked(Instant.now()));
        running.get("park:a2").complete(Disposition.DONE);
        scheduler.add(record(0, 2, "a", "a3"));
        running.get("park:a3").complete(Disposition.DONE);

        assertThat(scheduler.toCommit()).containsEntry(partition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(3));
        assertThat(timers).hasSize(1);

        timers.get(0).run();
        running.get("drain:a").complete(Disposition.DONE);
        scheduler.add(record(0, 3, "a", "a4"));

        assertThat(started).containsExactly("a1", "park:a2", "park:a3", "drain:a", "a4");
    }

    @Test
    void a_drain_that_must_wait_again_keeps_the_key_parked() {
        scheduler.add(record(0, 0, "a", "a1"));
        running.get("a1").complete(new Disposition.Parked(Instant.now()));
        timers.get(0).run();
        running.get("drain:a").complete(new Disposition.Parked(Instant.now()));
        scheduler.add(record(0, 1, "a", "a2"));

        assertThat(started).containsExactly("a1", "drain:a", "park:a2");
        assertThat(timers).hasSize(2);
    }

    @Test
    void keys_found_parked_in_the_ledger_at_assignment_park_their_new_records_and_drain_when_due() {
        scheduler.parked(new TopicPartition("t", 0), Map.of("a", Instant.now()));
        scheduler.add(record(0, 5, "a", "a9"));

        assertThat(started).containsExactly("park:a9");
        assertThat(timers).hasSize(1);
    }

    @Test
    void a_drain_learns_when_its_partition_is_revoked_so_that_it_stops_between_two_commands() {
        var partition = new TopicPartition("t", 0);
        scheduler.add(record(0, 0, "a", "a1"));
        running.get("a1").complete(new Disposition.Parked(Instant.now()));
        timers.get(0).run();

        assertThat(drainOwned.get(0).getAsBoolean()).isTrue();
        scheduler.revoke(List.of(partition));
        assertThat(drainOwned.get(0).getAsBoolean()).isFalse();
    }
}
