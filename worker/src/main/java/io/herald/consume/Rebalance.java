package io.herald.consume;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partitions coming and going. An assigned partition is paused until its lease is taken ({@link Assignments}); a
 * revoked one stops starting work, lets what runs finish and commits before it goes (nothing done twice, nothing
 * skipped); a lost one (no clean handover: this worker was out of the group) is forgotten without a commit, and the
 * fence of its lease keeps whatever of its work is still running from claiming anything more.
 */
final class Rebalance implements ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(Rebalance.class);

    private final Consumer<byte[], byte[]> consumer;
    private final KeyedScheduler scheduler;
    private final Assignments assignments;
    private final ConsumerLag lag;
    private final Duration drainTimeout;
    private final Runnable onAssignment;
    private final Intake intake;

    Rebalance(
            Consumer<byte[], byte[]> consumer,
            KeyedScheduler scheduler,
            Assignments assignments,
            ConsumerLag lag,
            Duration drainTimeout,
            Runnable onAssignment,
            Intake intake) {
        this.consumer = consumer;
        this.scheduler = scheduler;
        this.assignments = assignments;
        this.lag = lag;
        this.drainTimeout = drainTimeout;
        this.onAssignment = onAssignment;
        this.intake = intake;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        onAssignment.run();
        if (partitions.isEmpty()) {
            return;
        }
        int generation = consumer.groupMetadata().generationId();
        log.info("assigned {} in generation {}; taking their leases", partitions, generation);
        consumer.pause(partitions);
        assignments.assign(partitions, generation);
        lag.track(partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        log.info("revoked {}: finishing what runs, then committing", partitions);
        assignments.forget(partitions);
        scheduler.revoke(partitions);
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (scheduler.running(partitions) && System.nanoTime() < deadline) {
            Worker.sleep(10);
        }
        commitSync(consumer, scheduler.release(partitions));
        intake.forget(partitions);
        lag.forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        log.warn("lost {} without a clean handover; their records will be consumed again", partitions);
        assignments.forget(partitions);
        scheduler.revoke(partitions);
        scheduler.release(partitions);
        intake.forget(partitions);
        lag.forget(partitions);
    }

    static void commitSync(Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(30));
                return;
            } catch (WakeupException e) {
                // the wakeup() of shutdown, left pending when the loop had already seen running = false
            } catch (RuntimeException e) {
                log.warn(
                        "committing {} failed: {}; those records will be consumed again and found done",
                        offsets.keySet(),
                        e.toString());
                return;
            }
        }
    }
}
