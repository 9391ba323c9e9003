package io.herald.consume;

import io.herald.config.HeraldConfig;
import io.herald.observe.Metrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop: poll, dispatch, apply backpressure, commit what is finished, handle rebalances,
 * repeat. One thread owns the consumer; {@link #shutdown(Duration)} stops it through
 * {@code wakeup()}, drains what runs within a deadline and commits.
 */
public final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long COMMIT_INTERVAL_NANOS = 500_000_000L;

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final KeyedScheduler scheduler;
    private final int maxBuffered;
    private final Duration drainTimeout;
    private final BooleanSupplier mayConsume;
    private final Metrics metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Set<TopicPartition> paused = new HashSet<>();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile Duration shutdownDeadline = Duration.ofSeconds(30);
    private long lastCommit;

    /** Reads, when a partition is assigned, which of its accounts have commands parked in the ledger. */
    public interface ParkedAccounts {
        Map<String, java.time.Instant> of(TopicPartition partition) throws java.sql.SQLException;
    }

    private final ParkedAccounts parkedAccounts;

    public Worker(Consumer<byte[], byte[]> consumer, HeraldConfig config, ProcessingSteps steps, ParkedAccounts parkedAccounts,
            io.herald.process.CommandProcessor.Timer timer, BooleanSupplier mayConsume, Metrics metrics) {
        this.consumer = consumer;
        this.topic = config.commandsTopic();
        this.parkedAccounts = parkedAccounts;
        this.scheduler = new KeyedScheduler(steps, timer, java.time.Clock.systemUTC());
        this.maxBuffered = Math.max(1_000, config.maxInFlight() * 4);
        this.drainTimeout = config.oneallTimeout().plusSeconds(10);
        this.mayConsume = mayConsume;
        this.metrics = metrics;
        metrics.gauge("herald_buffered_records", "records consumed and not yet finished", scheduler::buffered);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                var records = consumer.poll(POLL_TIMEOUT);
                for (var record : records) {
                    scheduler.add(record);
                }
                applyBackpressure();
                commitIfDue();
                updateLag();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("the poll loop failed; the worker stops", e);
            throw e;
        } finally {
            drainAndCommit();
            consumer.close();
            stopped.countDown();
        }
    }

    /** Stops polling, lets running commands finish within {@code deadline}, commits, and returns when done. */
    public void shutdown(Duration deadline) throws InterruptedException {
        shutdownDeadline = deadline;
        running = false;
        consumer.wakeup();
        stopped.await(deadline.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    }

    /** Ready once the consumer has partitions (or an assignment, possibly empty, from its group). */
    public boolean assigned() {
        return assigned;
    }

    public int buffered() {
        return scheduler.buffered();
    }

    private void applyBackpressure() {
        var assignment = consumer.assignment();
        boolean tooMuch = scheduler.buffered() >= maxBuffered || !mayConsume.getAsBoolean();
        boolean drained = scheduler.buffered() <= maxBuffered / 2 && mayConsume.getAsBoolean();
        if (tooMuch && paused.size() < assignment.size()) {
            consumer.pause(assignment);
            paused.addAll(assignment);
        } else if (drained && !paused.isEmpty()) {
            var resume = new HashSet<>(paused);
            resume.retainAll(assignment);
            consumer.resume(resume);
            paused.clear();
        }
    }

    private void commitIfDue() {
        long now = System.nanoTime();
        if (now - lastCommit < COMMIT_INTERVAL_NANOS) {
            return;
        }
        lastCommit = now;
        var offsets = scheduler.toCommit();
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error == null) {
                scheduler.committed(committed);
            } else {
                log.debug("an offset commit failed ({}); the next one covers it", error.getMessage());
            }
        });
    }

    private void drainAndCommit() {
        long deadline = System.nanoTime() + shutdownDeadline.toNanos();
        var partitions = scheduler.partitions();
        scheduler.revoke(partitions);
        while (scheduler.running(partitions) && System.nanoTime() < deadline) {
            sleep(20);
        }
        if (scheduler.running(partitions)) {
            log.warn("commands were still running at the drain deadline; their records will be consumed again and found in flight");
        }
        commitSync(scheduler.release(partitions));
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
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
                log.warn("committing {} failed: {}; those records will be consumed again and found done", offsets.keySet(), e.toString());
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On revocation, what runs finishes and is committed before the partitions go: nothing done twice, nothing skipped. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
            if (!partitions.isEmpty()) {
                log.info("assigned {}", partitions);
            }
            for (var partition : partitions) {
                try {
                    scheduler.parked(partition, parkedAccounts.of(partition));
                } catch (java.sql.SQLException e) {
                    // Without the parked accounts a later command could overtake a waiting one: stop rather than risk it.
                    throw new IllegalStateException("cannot read the accounts parked on " + partition + ": " + e.getMessage(), e);
                }
            }
            partitions.forEach(partition -> metrics.gauge("herald_consumer_lag", "records of a partition not yet consumed",
                    () -> lag(partition), "partition", Integer.toString(partition.partition())));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            log.info("revoked {}: finishing what runs, then committing", partitions);
            scheduler.revoke(partitions);
            long deadline = System.nanoTime() + drainTimeout.toNanos();
            while (scheduler.running(partitions) && System.nanoTime() < deadline) {
                sleep(10);
            }
            commitSync(scheduler.release(partitions));
            paused.removeAll(partitions);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            log.warn("lost {} without a clean handover; their records will be consumed again", partitions);
            scheduler.revoke(partitions);
            scheduler.release(partitions);
            paused.removeAll(partitions);
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(lag::remove);
            partitions.forEach(partition -> metrics.removeGauge("herald_consumer_lag", "partition", Integer.toString(partition.partition())));
        }
    }

    private final Map<TopicPartition, Long> lag = new java.util.concurrent.ConcurrentHashMap<>();
    private long lastLagUpdate;

    /** On the poll thread, which alone may touch the consumer; the metrics scrape reads the copy. */
    private void updateLag() {
        long now = System.nanoTime();
        if (now - lastLagUpdate < 5_000_000_000L) {
            return;
        }
        lastLagUpdate = now;
        for (var partition : consumer.assignment()) {
            consumer.currentLag(partition).ifPresent(value -> lag.put(partition, value));
        }
    }

    private long lag(TopicPartition partition) {
        return lag.getOrDefault(partition, 0L);
    }
}
