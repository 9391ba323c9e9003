package io.herald.consume;

import io.herald.process.CommandProcessor;
import io.herald.process.Disposition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-key concurrency: the work of one key (one social account) runs one item after the other, in
 * offset order; different keys run side by side, within a partition too. A key whose command waits
 * for a retry is <em>parked</em>: its later records go into the ledger behind that command instead of
 * waiting in memory, their offsets count as finished, and when the retry is due a drain sends the
 * parked commands in order. Tracks which offsets of each partition may be committed.
 */
final class KeyedScheduler {
    private static final Logger log = LoggerFactory.getLogger(KeyedScheduler.class);

    /** One unit of a key's work: a consumed record, or the drain of the key's parked commands. */
    private record Item(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, byte[] key) {
        boolean isDrain() {
            return record == null;
        }
    }

    private static final class KeyWork {
        final ArrayDeque<Item> queue = new ArrayDeque<>();
        boolean parked;
    }

    private static final class PartitionWork {
        final OffsetTracker offsets = new OffsetTracker();
        final Map<String, KeyWork> keys = new HashMap<>();
        int running;
        boolean revoked;
    }

    private final ProcessingSteps steps;
    private final CommandProcessor.Timer timer;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TopicPartition, PartitionWork> partitions = new HashMap<>();
    private final AtomicInteger buffered = new AtomicInteger();

    KeyedScheduler(ProcessingSteps steps, CommandProcessor.Timer timer, Clock clock) {
        this.steps = steps;
        this.timer = timer;
        this.clock = clock;
    }

    /** Called by the poll thread for each consumed record, in offset order. */
    void add(ConsumerRecord<byte[], byte[]> record) {
        var partition = new TopicPartition(record.topic(), record.partition());
        Item start;
        lock.lock();
        try {
            var work = partitions.computeIfAbsent(partition, p -> new PartitionWork());
            work.offsets.started(record.offset());
            buffered.incrementAndGet();
            start = enqueue(work, new Item(record, partition, record.key()));
        } finally {
            lock.unlock();
        }
        if (start != null) {
            run(start);
        }
    }

    /** Parks keys found parked in the ledger when their partition is assigned (after a crash or a rebalance). */
    void parked(TopicPartition partition, Map<String, Instant> keys) {
        lock.lock();
        try {
            var work = partitions.computeIfAbsent(partition, p -> new PartitionWork());
            keys.forEach((key, due) -> work.keys.computeIfAbsent(key, k -> new KeyWork()).parked = true);
        } finally {
            lock.unlock();
        }
        keys.forEach((key, due) -> scheduleDrain(partition, key.getBytes(StandardCharsets.UTF_8), due));
        if (!keys.isEmpty()) {
            log.info("{}: {} account(s) have commands waiting for a retry in the ledger", partition, keys.size());
        }
    }

    /** Adds an item to its key's queue; returns it when it is to start now. Under the lock. */
    private Item enqueue(PartitionWork work, Item item) {
        var keyWork = work.keys.computeIfAbsent(key(item), k -> new KeyWork());
        keyWork.queue.add(item);
        if (keyWork.queue.size() == 1) {
            work.running++;
            return item;
        }
        return null;
    }

    private void run(Item item) {
        CompletionStage<Disposition> stage;
        try {
            if (item.isDrain()) {
                stage = steps.drain(item.partition().topic(), item.partition().partition(), item.key(), () -> owned(item.partition()));
            } else {
                stage = isParked(item) ? steps.park(item.record()) : steps.process(item.record());
            }
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((disposition, error) -> finished(item, disposition, error));
    }

    private boolean owned(TopicPartition partition) {
        lock.lock();
        try {
            var work = partitions.get(partition);
            return work != null && !work.revoked;
        } finally {
            lock.unlock();
        }
    }

    private boolean isParked(Item item) {
        lock.lock();
        try {
            var work = partitions.get(item.partition());
            var keyWork = work == null ? null : work.keys.get(key(item));
            return keyWork != null && keyWork.parked;
        } finally {
            lock.unlock();
        }
    }

    private void finished(Item item, Disposition disposition, Throwable error) {
        Item next = null;
        Instant drainAt = null;
        lock.lock();
        try {
            var work = partitions.get(item.partition());
            if (work == null) {
                return;
            }
            if (!item.isDrain()) {
                buffered.decrementAndGet();
                if (error != null) {
                    // Not marked finished: the offset stays uncommitted and the record is consumed again after a restart.
                    log.error("record {}-{}@{} failed unexpectedly; its offset is held back so that it is not lost",
                            item.partition().topic(), item.partition().partition(), item.record().offset(), error);
                } else {
                    work.offsets.finished(item.record().offset());
                }
            } else if (error != null) {
                log.error("draining the parked commands of a key of {} failed; retrying in 5 s", item.partition(), error);
            }
            var key = key(item);
            var keyWork = work.keys.get(key);
            if (disposition instanceof Disposition.Parked parked) {
                keyWork.parked = true;
                drainAt = parked.dueAt();
            } else if (item.isDrain()) {
                if (error == null) {
                    keyWork.parked = false;
                } else {
                    drainAt = clock.instant().plusSeconds(5);
                }
            }
            keyWork.queue.poll();
            if (work.revoked) {
                buffered.addAndGet(-(int) keyWork.queue.stream().filter(i -> !i.isDrain()).count());
                keyWork.queue.clear();
            }
            if (keyWork.queue.isEmpty()) {
                work.running--;
                if (!keyWork.parked) {
                    work.keys.remove(key);
                }
            } else {
                next = keyWork.queue.peek();
            }
        } finally {
            lock.unlock();
        }
        if (drainAt != null) {
            scheduleDrain(item.partition(), item.key(), drainAt);
        }
        if (next != null) {
            run(next);
        }
    }

    private void scheduleDrain(TopicPartition partition, byte[] key, Instant due) {
        var delay = Duration.between(clock.instant(), due);
        timer.schedule(delay.isNegative() ? Duration.ZERO : delay, () -> {
            Item start;
            lock.lock();
            try {
                var work = partitions.get(partition);
                if (work == null || work.revoked) {
                    return;
                }
                start = enqueue(work, new Item(null, partition, key));
            } finally {
                lock.unlock();
            }
            if (start != null) {
                run(start);
            }
        });
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

    /** Stops starting work of these partitions; what is running goes on to its end. */
    void revoke(Collection<TopicPartition> revoked) {
        lock.lock();
        try {
            for (var partition : revoked) {
                var work = partitions.get(partition);
                if (work != null) {
                    work.revoked = true;
                    for (var keyWork : work.keys.values()) {
                        while (keyWork.queue.size() > 1) {
                            if (!keyWork.queue.pollLast().isDrain()) {
                                buffered.decrementAndGet();
                            }
                        }
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether work of these partitions is still running. */
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
                if (work == null) {
                    continue;
                }
                work.keys.values().forEach(keyWork -> buffered.addAndGet(-(int) keyWork.queue.stream().filter(i -> !i.isDrain()).count()));
                if (work.offsets.committable() >= 0) {
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
    private static String key(Item item) {
        if (item.key() == null) {
            return "\u0000" + item.record().offset();
        }
        return new String(item.key(), StandardCharsets.ISO_8859_1);
    }
}
