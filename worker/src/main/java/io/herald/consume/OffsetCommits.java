package io.herald.consume;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of the scheduler's partitions may be committed: those that moved since the last commit, and the last
 * committable ones of partitions released. Reads the scheduler's partitions under the scheduler's lock.
 */
final class OffsetCommits {
    private final Map<TopicPartition, PartitionWork> partitions;
    private final ReentrantLock lock;

    OffsetCommits(Map<TopicPartition, PartitionWork> partitions, ReentrantLock lock) {
        this.partitions = partitions;
        this.lock = lock;
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

    /** The committable offsets of these partitions, and forgets their work: what finishes later is ignored. */
    Map<TopicPartition, OffsetAndMetadata> release(Collection<TopicPartition> released) {
        var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
        lock.lock();
        try {
            for (var partition : released) {
                var work = partitions.remove(partition);
                if (work != null && work.offsets.committable() >= 0) {
                    offsets.put(partition, new OffsetAndMetadata(work.offsets.committable()));
                }
            }
        } finally {
            lock.unlock();
        }
        return offsets;
    }
}
