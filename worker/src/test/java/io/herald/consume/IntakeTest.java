package io.herald.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A poll's records handed out within the bytes held, and the reasons a partition stays paused. */
class IntakeTest {
    private static final TopicPartition FIRST = new TopicPartition("t", 0);
    private static final TopicPartition SECOND = new TopicPartition("t", 1);
    /** A record of 30 bytes counts for 90; the bound holds three of them. */
    private static final int SMALL = 30;

    private static final long BOUND = 300;

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final Intake intake = new Intake(consumer, new Backpressure(1000, BOUND));
    private final List<String> handedOut = new ArrayList<>();

    @BeforeEach
    void assign() {
        consumer.assign(List.of(FIRST, SECOND));
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, int bytes) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, new byte[bytes]);
    }

    /** One poll's records: {@code sizes[i]} bytes at offset {@code first + i} of each partition given. */
    private static ConsumerRecords<byte[], byte[]> poll(Map<TopicPartition, int[]> sizes, long first) {
        var records = new LinkedHashMap<TopicPartition, List<ConsumerRecord<byte[], byte[]>>>();
        sizes.forEach((partition, bytes) -> {
            var list = new ArrayList<ConsumerRecord<byte[], byte[]>>();
            for (int i = 0; i < bytes.length; i++) {
                list.add(record(partition, first + i, bytes[i]));
            }
            records.put(partition, list);
        });
        return new ConsumerRecords<>(records, Map.of());
    }

    private void handOut(ConsumerRecords<byte[], byte[]> records, long held) {
        intake.handOut(records, held, record -> handedOut.add(record.partition() + "@" + record.offset()));
    }

    @Test
    void records_are_handed_out_until_the_next_would_pass_the_bound_and_its_partition_goes_back_to_it() {
        handOut(poll(Map.of(FIRST, new int[] {SMALL, SMALL, SMALL, SMALL, SMALL}), 10), 0);

        assertThat(handedOut).containsExactly("0@10", "0@11", "0@12");
        assertThat(consumer.position(FIRST))
                .as("consumed again from the record held back")
                .isEqualTo(13);
        assertThat(consumer.paused()).containsExactly(FIRST);
        assertThat(intake.heldBack()).containsExactly(FIRST);
    }

    @Test
    void what_is_held_already_counts() {
        handOut(poll(Map.of(FIRST, new int[] {SMALL, SMALL}), 0), 200);

        assertThat(handedOut).containsExactly("0@0");
        assertThat(consumer.position(FIRST)).isEqualTo(1);
    }

    @Test
    void a_record_larger_than_the_whole_bound_is_taken_alone_when_nothing_is_held() {
        handOut(poll(Map.of(FIRST, new int[] {500, SMALL}), 0), 0);

        assertThat(handedOut).containsExactly("0@0");
        assertThat(consumer.position(FIRST)).isEqualTo(1);

        handedOut.clear();
        handOut(poll(Map.of(SECOND, new int[] {500}), 0), 1);
        assertThat(handedOut).as("something is held: it waits").isEmpty();
        assertThat(consumer.position(SECOND)).isZero();
    }

    @Test
    void another_partition_goes_on_with_the_records_that_still_fit() {
        var sizes = new LinkedHashMap<TopicPartition, int[]>();
        sizes.put(FIRST, new int[] {SMALL, 200});
        sizes.put(SECOND, new int[] {SMALL, SMALL, SMALL});
        handOut(poll(sizes, 0), 0);

        assertThat(handedOut).containsExactly("0@0", "1@0", "1@1");
        assertThat(consumer.position(FIRST)).isEqualTo(1);
        assertThat(consumer.position(SECOND)).isEqualTo(2);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(FIRST, SECOND);
    }

    @Test
    void a_partition_held_back_resumes_once_its_record_fits_and_the_bytes_held_are_under_half() {
        handOut(poll(Map.of(FIRST, new int[] {SMALL, SMALL, SMALL, SMALL}), 0), 0);
        var active = Set.of(FIRST, SECOND);

        intake.apply(active, 270);
        assertThat(consumer.paused()).containsExactly(FIRST);
        intake.apply(active, 180);
        assertThat(consumer.paused())
                .as("it fits, but the bytes held are over half")
                .containsExactly(FIRST);
        intake.apply(active, 150);
        assertThat(consumer.paused()).isEmpty();
        assertThat(intake.heldBack()).isEmpty();
    }

    @Test
    void a_partition_held_back_and_held_with_every_partition_resumes_only_when_both_reasons_are_gone() {
        handOut(poll(Map.of(FIRST, new int[] {SMALL, SMALL, SMALL, SMALL}), 0), 0);
        var active = Set.of(FIRST, SECOND);
        intake.hold(true);
        intake.apply(active, 270);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(FIRST, SECOND);

        intake.hold(false);
        intake.apply(active, 270);
        assertThat(consumer.paused()).as("its record does not fit yet").containsExactly(FIRST);

        intake.hold(true);
        intake.apply(active, 0);
        assertThat(consumer.paused())
                .as("its record fits, but every partition is held")
                .contains(FIRST);
        intake.hold(false);
        intake.apply(active, 0);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void a_partition_whose_lease_is_not_taken_stays_paused_whatever_else_resumes() {
        consumer.pause(List.of(SECOND));

        intake.apply(Set.of(FIRST), 0);

        assertThat(consumer.paused()).containsExactly(SECOND);
    }

    @Test
    void a_partition_revoked_while_held_back_forgets_it_and_starts_afresh_when_assigned_again() {
        handOut(poll(Map.of(FIRST, new int[] {SMALL, SMALL, SMALL, SMALL}), 0), 0);

        intake.forget(List.of(FIRST));
        consumer.assign(List.of(FIRST, SECOND));
        intake.apply(Set.of(FIRST, SECOND), 270);

        assertThat(intake.heldBack()).isEmpty();
        assertThat(consumer.paused()).isEmpty();
    }
}
