package io.herald.consume;

import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;

/** The {@link Holding} of one drain or scheduled item: what it holds counts in its partition's work until it ends. */
final class LedgerHolding implements Holding {
    private final PartitionWork work;
    private final TopicPartition partition;
    private final Map<TopicPartition, PartitionWork> partitions;
    private final ReentrantLock lock;
    private final long pageBytes;
    /** Guarded by the lock. */
    private long held;

    LedgerHolding(
            PartitionWork work, Map<TopicPartition, PartitionWork> partitions, ReentrantLock lock, long pageBytes) {
        this.work = work;
        this.partition = new TopicPartition(work.topic, work.partition);
        this.partitions = partitions;
        this.lock = lock;
        this.pageBytes = pageBytes;
    }

    @Override
    public boolean owned() {
        lock.lock();
        try {
            return !work.revoked && partitions.get(partition) == work;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void hold(long serializedBytes) {
        change(Backpressure.weight(serializedBytes));
    }

    @Override
    public void release(long serializedBytes) {
        lock.lock();
        try {
            change(-Math.min(held, Backpressure.weight(serializedBytes)));
        } finally {
            lock.unlock();
        }
    }

    /** The item ended: what it still holds is let go. */
    void releaseAll() {
        lock.lock();
        try {
            change(-held);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long pageBytes() {
        return pageBytes;
    }

    private void change(long bytes) {
        lock.lock();
        try {
            held += bytes;
            work.bufferedBytes += bytes;
        } finally {
            lock.unlock();
        }
    }
}
