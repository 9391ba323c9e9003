package io.herald.consume;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * What the poll loop takes in, and which of its partitions it keeps paused. A poll's records are handed to the scheduler
 * one by one within the size of the records held ({@link Backpressure#admits}); at the first that would pass it, its
 * partition is sought back to that record and paused, so the record is consumed again, once, when the partition
 * resumes, and nothing after it was handed out. A partition is paused for any of three reasons, and resumes only once
 * none is left: its lease not taken yet, or superseded ({@link Assignments#pending}: paused by {@link Rebalance}, never
 * touched here); the records held past the bound, or consumption not allowed ({@link #hold}: every partition); or its
 * next record, held back until it is {@linkplain Backpressure#readmits readmitted}. A partition revoked or lost forgets
 * why it was held back. Runs on the poll thread only.
 */
final class Intake {
    private final Consumer<byte[], byte[]> consumer;
    private final Backpressure backpressure;
    /** Partitions held back at a record, with that record's weight. */
    private final Map<TopicPartition, Long> heldBack = new HashMap<>();

    private boolean holding;

    Intake(Consumer<byte[], byte[]> consumer, Backpressure backpressure) {
        this.consumer = consumer;
        this.backpressure = backpressure;
    }

    /**
     * Hands {@code records} to {@code scheduler} in each partition's offset order, within the size, {@code heldBytes}
     * being held before; a partition whose next record would pass it is held back at that record.
     */
    void handOut(
            ConsumerRecords<byte[], byte[]> records,
            long heldBytes,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> scheduler) {
        long held = heldBytes;
        for (var partition : records.partitions()) {
            for (var record : records.records(partition)) {
                long weight = Backpressure.weight(record.key(), record.value());
                if (!backpressure.admits(held, weight)) {
                    consumer.seek(partition, record.offset());
                    consumer.pause(List.of(partition));
                    heldBack.put(partition, weight);
                    break;
                }
                scheduler.accept(record);
                held += weight;
            }
        }
    }

    /** Every partition is to pause ({@code true}: the bound is passed, or consumption is not allowed) or may resume. */
    void hold(boolean hold) {
        holding = hold;
    }

    /**
     * Pauses the {@code active} partitions (assigned, their lease taken) that have a reason to be, and resumes those
     * that have none left, {@code heldBytes} being held now.
     */
    void apply(Set<TopicPartition> active, long heldBytes) {
        heldBack.values().removeIf(weight -> backpressure.readmits(heldBytes, weight));
        var paused = consumer.paused();
        var pause = new ArrayList<TopicPartition>();
        var resume = new ArrayList<TopicPartition>();
        for (var partition : active) {
            boolean reason = holding || heldBack.containsKey(partition);
            if (reason && !paused.contains(partition)) {
                pause.add(partition);
            } else if (!reason && paused.contains(partition)) {
                resume.add(partition);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /** These partitions were revoked or lost: assigned again, they start afresh. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(heldBack::remove);
    }

    /** The partitions held back at a record. */
    Set<TopicPartition> heldBack() {
        return Set.copyOf(heldBack.keySet());
    }
}
