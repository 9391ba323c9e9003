package io.herald.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import io.herald.store.Leases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyedSchedulerTest {
    private static final TopicPartition PARTITION = new TopicPartition("t", 0);
    private static final Map<String, String> ACCOUNTS =
            Map.of("a", "0a0a0a0a-0000-4000-8000-000000000000", "b", "0b0b0b0b-0000-4000-8000-000000000000");

    private final List<String> started = new ArrayList<>();
    private final Map<String, CompletableFuture<Disposition>> running = new HashMap<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Holding> drainOwned = new ArrayList<>();
    private final List<Long> epochs = new ArrayList<>();
    private final CommandReader reader = new CommandReader();
    private final KeyedScheduler scheduler = new KeyedScheduler(
            item -> {
                if (item instanceof RecordHandler.Consumed consumed) {
                    epochs.add(consumed.delivery().epoch());
                    return start(id(consumed.delivery()));
                }
                if (item instanceof RecordHandler.BehindItsAccount behind) {
                    return start("park:" + id(behind.delivery()));
                }
                if (item instanceof RecordHandler.Drain drain) {
                    drainOwned.add(drain.holding());
                    return start("drain:" + account(drain.routingKey()));
                }
                return start("scheduled:" + ((RecordHandler.Scheduled) item).commandId());
            },
            new Backpressure(100, 1024 * 1024),
            (delay, task) -> timers.add(task),
            Clock.systemUTC(),
            reader::read);

    @BeforeEach
    void assign() {
        scheduler.assigned(PARTITION, new Leases.Takeover(1, Map.of(), List.of()));
    }

    private CompletableFuture<Disposition> start(String name) {
        started.add(name);
        var future = new CompletableFuture<Disposition>();
        running.put(name, future);
        return future;
    }

    private static String id(Delivery delivery) {
        return ((Validation.Valid) delivery.validation()).command().commandId();
    }

    private static String account(String routingKey) {
        return ACCOUNTS.entrySet().stream()
                .filter(e -> e.getValue().equals(routingKey))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(routingKey);
    }

    /** A push of account {@code key}; its record key is {@code recordKey}, which scheduling ignores. */
    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String id, String recordKey) {
        var json = "{\"command_id\":\"" + id + "\",\"type\":\"push\",\"identity_token\":\"" + ACCOUNTS.get(key)
                + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"" + id + "\"}}}";
        return new ConsumerRecord<>(
                "t",
                0,
                offset,
                recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String id) {
        return record(offset, key, id, ACCOUNTS.get(key));
    }

    @Test
    void records_of_one_account_run_one_after_the_other_and_other_accounts_run_alongside() {
        scheduler.add(record(0, "a", "a1"));
        scheduler.add(record(1, "a", "a2"));
        scheduler.add(record(2, "b", "b1"));

        assertThat(started).containsExactly("a1", "b1");
        running.get("a1").complete(Disposition.DONE);
        assertThat(started).containsExactly("a1", "b1", "a2");
    }

    @Test
    void records_are_scheduled_by_their_commands_routing_key_not_by_their_record_key() {
        scheduler.add(record(0, "a", "a1", null));
        scheduler.add(record(1, "a", "a2", "some-other-key"));

        assertThat(started).containsExactly("a1");
        running.get("a1").complete(Disposition.DONE);
        assertThat(started).containsExactly("a1", "a2");
    }

    @Test
    void the_commit_waits_for_the_lowest_unfinished_record_of_the_partition() {
        scheduler.add(record(0, "a", "a1"));
        scheduler.add(record(1, "b", "b1"));
        running.get("b1").complete(Disposition.DONE);

        assertThat(scheduler.toCommit()).containsEntry(PARTITION, new OffsetAndMetadata(0));
        running.get("a1").complete(Disposition.DONE);
        assertThat(scheduler.toCommit()).containsEntry(PARTITION, new OffsetAndMetadata(2));
        assertThat(scheduler.buffered()).isZero();
    }

    @Test
    void a_record_that_fails_unexpectedly_or_was_left_to_another_worker_holds_its_offset_back() {
        scheduler.add(record(0, "a", "a1"));
        scheduler.add(record(1, "b", "b1"));
        running.get("a1").completeExceptionally(new IllegalStateException("bug"));
        running.get("b1").complete(new Disposition.Dropped("fenced"));

        assertThat(scheduler.toCommit()).containsEntry(PARTITION, new OffsetAndMetadata(0));
    }

    @Test
    void a_revoked_partition_starts_nothing_more_and_releases_what_is_done() {
        scheduler.add(record(0, "a", "a1"));
        scheduler.add(record(1, "a", "a2"));

        scheduler.revoke(List.of(PARTITION));
        assertThat(scheduler.running(List.of(PARTITION))).isTrue();
        running.get("a1").complete(Disposition.DONE);

        assertThat(started).containsExactly("a1");
        assertThat(scheduler.running(List.of(PARTITION))).isFalse();
        assertThat(scheduler.release(List.of(PARTITION))).containsEntry(PARTITION, new OffsetAndMetadata(1));
        assertThat(scheduler.buffered()).isZero();
    }

    @Test
    void an_account_whose_command_waits_for_a_retry_parks_its_later_records_and_lets_their_offsets_be_committed() {
        scheduler.add(record(0, "a", "a1"));
        scheduler.add(record(1, "a", "a2"));
        running.get("a1").complete(new Disposition.Parked(Instant.now()));
        running.get("park:a2").complete(new Disposition.Parked(null));
        scheduler.add(record(2, "a", "a3"));
        running.get("park:a3").complete(new Disposition.Parked(null));

        assertThat(scheduler.toCommit()).containsEntry(PARTITION, new OffsetAndMetadata(3));
        assertThat(timers).hasSize(1);

        timers.get(0).run();
        running.get("drain:a").complete(Disposition.DONE);
        scheduler.add(record(3, "a", "a4"));

        assertThat(started).containsExactly("a1", "park:a2", "park:a3", "drain:a", "a4");
    }

    @Test
    void a_drain_that_must_wait_again_keeps_the_account_parked() {
        scheduler.add(record(0, "a", "a1"));
        running.get("a1").complete(new Disposition.Parked(Instant.now()));
        timers.get(0).run();
        running.get("drain:a").complete(new Disposition.Parked(Instant.now()));
        scheduler.add(record(1, "a", "a2"));

        assertThat(started).containsExactly("a1", "drain:a", "park:a2");
        assertThat(timers).hasSize(2);
    }

    @Test
    void a_timer_that_fires_before_the_drain_is_due_is_set_again() {
        scheduler.add(record(0, "a", "a1"));
        running.get("a1").complete(new Disposition.Parked(Instant.now().plusSeconds(60)));
        timers.get(0).run();

        assertThat(started).containsExactly("a1");
        assertThat(timers).hasSize(2);
    }

    @Test
    void accounts_found_parked_in_the_ledger_at_assignment_park_their_new_records_and_drain_when_due() {
        var other = new TopicPartition("t", 1);
        scheduler.assigned(other, new Leases.Takeover(4, Map.of(ACCOUNTS.get("a"), Instant.now()), List.of()));
        scheduler.add(new ConsumerRecord<>("t", 1, 5, null, record(5, "a", "a9").value()));

        assertThat(started).containsExactly("park:a9");
        assertThat(timers).hasSize(1);
    }

    @Test
    void scheduled_commands_found_at_assignment_start_in_their_accounts_turn_when_due_and_are_set_once() {
        var other = new TopicPartition("t", 1);
        var due = List.of(new Leases.Scheduled("s1", ACCOUNTS.get("b"), Instant.now()));
        scheduler.assigned(other, new Leases.Takeover(2, Map.of(), due));
        scheduler.scheduleAll(other, due);

        assertThat(timers).hasSize(1);
        timers.get(0).run();
        assertThat(started).containsExactly("scheduled:s1");
    }

    @Test
    void a_command_consumed_before_its_not_before_comes_back_when_due_and_its_account_goes_on_meanwhile() {
        scheduler.add(record(0, "a", "a1"));
        running.get("a1")
                .complete(new Disposition.Scheduled(
                        "a1", ACCOUNTS.get("a"), Instant.now().plusSeconds(5)));
        scheduler.add(record(1, "a", "a2"));

        assertThat(started).as("the account is not held").containsExactly("a1", "a2");
        assertThat(timers).as("a timer for when it is due").hasSize(1);
        running.get("a2").complete(Disposition.DONE);
        assertThat(scheduler.toCommit()).containsEntry(PARTITION, new OffsetAndMetadata(2));
        timers.get(0).run();
        assertThat(started).containsExactly("a1", "a2", "scheduled:a1");
    }

    @Test
    void a_command_scheduled_beyond_the_horizon_is_left_to_a_later_reload_of_the_schedule() {
        scheduler.add(record(0, "a", "a1"));
        running.get("a1")
                .complete(new Disposition.Scheduled(
                        "a1",
                        ACCOUNTS.get("a"),
                        Instant.now().plus(Worker.SCHEDULE_HORIZON).plusSeconds(60)));

        assertThat(timers).isEmpty();
        assertThat(scheduler.toCommit()).containsEntry(PARTITION, new OffsetAndMetadata(1));
    }

    @Test
    void a_drain_learns_when_its_partition_is_revoked_so_that_it_stops_between_two_commands() {
        scheduler.add(record(0, "a", "a1"));
        running.get("a1").complete(new Disposition.Parked(Instant.now()));
        timers.get(0).run();

        assertThat(drainOwned.get(0).owned()).isTrue();
        scheduler.revoke(List.of(PARTITION));
        assertThat(drainOwned.get(0).owned()).isFalse();
    }

    @Test
    void work_of_an_earlier_assignment_that_finishes_late_touches_nothing_of_the_new_one() {
        scheduler.add(record(0, "a", "a1"));
        scheduler.revoke(List.of(PARTITION));
        scheduler.release(List.of(PARTITION));
        scheduler.assigned(PARTITION, new Leases.Takeover(2, Map.of(), List.of()));
        scheduler.add(record(0, "a", "a1-again"));
        scheduler.add(record(1, "a", "a2"));

        running.get("a1").complete(Disposition.DONE);

        assertThat(started)
                .as("the late completion starts nothing of the new assignment")
                .containsExactly("a1", "a1-again");
        assertThat(scheduler.toCommit())
                .as("nor does it finish the new assignment's offset 0")
                .containsEntry(PARTITION, new OffsetAndMetadata(0));
        assertThat(epochs).containsExactly(1L, 2L);
    }

    @Test
    void a_resumed_identity_is_drained_at_once_where_it_waits() {
        scheduler.add(record(0, "a", "a1"));
        running.get("a1").complete(new Disposition.Parked(Instant.now().plusSeconds(3600)));

        scheduler.wake(ACCOUNTS.get("a"));
        timers.get(timers.size() - 1).run();

        assertThat(started).containsExactly("a1", "drain:a");
    }

    private static long weight(ConsumerRecord<byte[], byte[]> record) {
        return 3L * (record.key().length + record.value().length);
    }

    @Test
    void records_held_count_three_times_their_bytes_until_they_finish() {
        var a1 = record(0, "a", "a1");
        var a2 = record(1, "a", "a2");
        var b1 = record(2, "b", "b1");
        scheduler.add(a1);
        scheduler.add(a2);
        scheduler.add(b1);
        assertThat(scheduler.bufferedBytes())
                .as("running and waiting alike")
                .isEqualTo(weight(a1) + weight(a2) + weight(b1));

        running.get("a1").complete(Disposition.DONE);
        assertThat(scheduler.bufferedBytes()).isEqualTo(weight(a2) + weight(b1));
        running.get("a2").complete(Disposition.DONE);
        running.get("b1").completeExceptionally(new IllegalStateException("failed"));
        assertThat(scheduler.bufferedBytes()).isZero();
        assertThat(scheduler.buffered()).isZero();
    }

    @Test
    void records_dropped_with_a_revoked_partition_no_longer_count() {
        scheduler.add(record(0, "a", "a1"));
        scheduler.add(record(1, "a", "a2"));

        scheduler.revoke(List.of(PARTITION));

        assertThat(scheduler.bufferedBytes()).isEqualTo(weight(record(0, "a", "a1")));
    }

    @Test
    void what_a_drain_loads_counts_while_it_runs_and_is_let_go_when_it_ends() {
        scheduler.add(record(0, "a", "a1"));
        running.get("a1").complete(new Disposition.Parked(Instant.now()));
        timers.get(0).run();
        var drain = drainOwned.get(0);

        drain.hold(1_000);
        assertThat(scheduler.bufferedBytes()).isEqualTo(3_000);
        drain.release(400);
        assertThat(scheduler.bufferedBytes()).isEqualTo(1_800);
        drain.hold(2_000);
        running.get("drain:a").complete(Disposition.DONE);

        assertThat(scheduler.bufferedBytes())
                .as("what it had not let go, when it ended")
                .isZero();
        assertThat(drain.pageBytes()).isEqualTo(1024 * 1024 / 3 / 8);
    }

    @Test
    void past_the_bound_drains_coming_due_wait_and_start_under_the_low_water_mark() {
        scheduler.add(record(0, "a", "a1"));
        running.get("a1").complete(new Disposition.Parked(Instant.now()));
        scheduler.pace(true);

        timers.get(0).run();
        assertThat(started).as("the drain waits").doesNotContain("drain:a");
        scheduler.add(record(1, "b", "b1"));
        assertThat(started).as("records already consumed still run").contains("b1");

        scheduler.pace(false);
        assertThat(started).contains("drain:a");
        scheduler.pace(false);
        assertThat(started.stream().filter("drain:a"::equals))
                .as("started once")
                .hasSize(1);
    }

    @Test
    void a_drain_waiting_for_the_bound_is_not_started_for_a_partition_revoked_meanwhile() {
        scheduler.add(record(0, "a", "a1"));
        running.get("a1").complete(new Disposition.Parked(Instant.now()));
        scheduler.pace(true);
        timers.get(0).run();

        scheduler.revoke(List.of(PARTITION));
        scheduler.pace(false);

        assertThat(started).doesNotContain("drain:a");
    }
}
