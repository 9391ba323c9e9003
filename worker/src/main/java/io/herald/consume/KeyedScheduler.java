package io.herald.consume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-key concurrency: records of one key (one social account) are processed one after the other,
 * in offset order; records of different keys run side by side, within a partition too. Tracks
 * which offsets of each partition may be committed.
 */
final class KeyedScheduler {
    private static final Logger log = LoggerFactory.getLogger(KeyedScheduler.class);

    private final Function<ConsumerRecord<byte[], byte[]>, CompletionStage<Void>> processor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TopicPartition, PartitionWork> partitions = new HashMap<>();
    private final AtomicInteger buffered = new AtomicInteger();

    private static final class PartitionWork {
        final OffsetTracker offsets = new OffsetTracker();
        final Map<String, ArrayDeque<ConsumerRecord<byte[], byte[]>>> keys = new HashMap<>();
        int running;
        boolean revoked;
    }

    KeyedScheduler(Function<ConsumerRecord<byte[], byte[]>, CompletionStage<Void>> processor) {
        this.processor = processor;
    }

    /** Called by the poll thread for each consumed record, in offset order. */
    void add(ConsumerRecord<byte[], byte[]> record) {
        ConsumerRecord<byte[], byte[]> start = null;
        lock.lock();
        try {
            var work = partitions.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new PartitionWork());
            work.offsets.started(record.offset());
            var queue = work.keys.computeIfAbsent(key(record), k -> new ArrayDeque<>());
            queue.add(record);
            buffered.incrementAndGet();
            if (queue.size() == 1) {
                work.running++;
                start = record;
            }
        } finally {
            lock.unlock();
        }
        if (start != null) {
            run(start);
        }
    }

    private void run(ConsumerRecord<byte[], byte[]> record) {
        CompletionStage<Void> stage;
        try {
            stage = processor.apply(record);
        } catch (RuntimeException e) {
            stage = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((done, error) -> finished(record, error));
    }

    private void finished(ConsumerRecord<byte[], byte[]> record, Throwable error) {
        ConsumerRecord<byte[], byte[]> next = null;
        lock.lock();
        try {
            var work = partitions.get(new TopicPartition(record.topic(), record.partition()));
            if (work == null) {
                return;
            }
            buffered.decrementAndGet();
            if (error != null) {
                // Not marked finished: the offset stays uncommitted and the record is consumed again after a restart.
                log.error("record {}-{}@{} failed unexpectedly; its offset is held back so that it is not lost",
                        record.topic(), record.partition(), record.offset(), error);
            } else {
                work.offsets.finished(record.offset());
            }
            var key = key(record);
            var queue = work.keys.get(key);
            queue.poll();
            if (queue.isEmpty() || work.revoked) {
                if (work.revoked) {
                    buffered.addAndGet(-queue.size());
                    queue.clear();
                }
                work.keys.remove(key);
                work.running--;
            } else {
                next = queue.peek();
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            run(next);
        }
    }

    /** The offsets that moved since they were last committed. */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
        lock.lock();
        try {
            partitions.forEach((partition, work) -> {
                long offset = work.offsets.toCommit();
                if (offset >= 0) {
                    offsets.put(partition, new OffsetAndMetadata(offset));
                }
            });
        } finally {
            lock.unlock();
        }
        return offsets;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        lock.lock();
        try {
            offsets.forEach((partition, offset) -> {
                var work = partitions.get(partition);
                if (work != null) {
                    work.offsets.committed(offset.offset());
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** Stops starting records of these partitions; what is running goes on to its end. */
    void revoke(Collection<TopicPartition> revoked) {
        lock.lock();
        try {
            for (var partition : revoked) {
                var work = partitions.get(partition);
                if (work != null) {
                    work.revoked = true;
                    for (var queue : work.keys.values()) {
                        while (queue.size() > 1) {
                            queue.pollLast();
                            buffered.decrementAndGet();
                        }
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether records of these partitions are still running. */
    boolean running(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            return partitions.stream().map(this.partitions::get).anyMatch(work -> work != null && work.running > 0);
        } finally {
            lock.unlock();
        }
    }

    /** The committable offsets of these partitions, and forgets them. */
    Map<TopicPartition, OffsetAndMetadata> release(Collection<TopicPartition> released) {
        var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
        lock.lock();
        try {
            for (var partition : released) {
                var work = partitions.remove(partition);
                if (work != null) {
                    work.keys.values().forEach(queue -> buffered.addAndGet(-queue.size()));
                }
                if (work != null && work.offsets.committable() >= 0) {
                    offsets.put(partition, new OffsetAndMetadata(work.offsets.committable()));
                }
            }
        } finally {
            lock.unlock();
        }
        return offsets;
    }

    List<TopicPartition> partitions() {
        lock.lock();
        try {
            return List.copyOf(partitions.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Records consumed and not yet finished, running or queued behind their key. */
    int buffered() {
        return buffered.get();
    }

    /** The scheduling key: the record key, or the record itself when it has none (no order to keep). */
    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "\u0000" + record.offset() : new String(record.key(), StandardCharsets.ISO_8859_1);
    }
}
