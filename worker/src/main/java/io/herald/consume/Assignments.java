package io.herald.consume;

import io.herald.store.Leases;
import io.herald.store.jdbc.Jdbc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the leases of newly assigned partitions off the poll thread: the partitions stay paused until their lease is
 * taken and what waits for them in the ledger is read; a database that refuses meanwhile is retried with backoff,
 * never fatal, and the poll loop goes on (its consumer stays in the group). A lease raised by a later assignment of the
 * group ({@link Leases.Superseded}) is not taken: this assignment is on its way out, and its partition stays paused
 * until Kafka revokes it.
 */
final class Assignments implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Assignments.class);
    private static final long SUPERSEDED_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** A partition whose lease is taken, with what waits for it; {@code assignment} is the one it was taken for. */
    record Taken(TopicPartition partition, Object assignment, Leases.Takeover takeover) {}

    /** One assignment of a partition, in the group's generation; told apart from the partition's others by identity. */
    private static final class Assignment {
        final int generation;
        long supersededSince;

        Assignment(int generation) {
            this.generation = generation;
        }
    }

    private final LeaseStore leases;
    private final Duration scheduleHorizon;
    /**
     * The partitions waiting for their lease, each with its assignment: a takeover still retrying for an earlier
     * assignment of the same partition (forgotten, then assigned again) stops instead of raising the epoch once more
     * after the new one's lease was taken, which would fence this worker's own work.
     */
    private final Map<TopicPartition, Assignment> pending = new ConcurrentHashMap<>();

    private final ConcurrentLinkedQueue<Taken> acquired = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "herald-assignments");
        thread.setDaemon(true);
        return thread;
    });

    Assignments(LeaseStore leases, Duration scheduleHorizon) {
        this.leases = leases;
        this.scheduleHorizon = scheduleHorizon;
    }

    /** Starts taking over these partitions, assigned in the group's {@code generation} (the caller paused them). */
    void assign(Collection<TopicPartition> partitions, int generation) {
        for (var partition : partitions) {
            var assignment = new Assignment(generation);
            pending.put(partition, assignment);
            executor.execute(() -> takeOver(partition, assignment, 200));
        }
    }

    /** Forgets these partitions: a takeover still under way is dropped. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(pending::remove);
        acquired.removeIf(taken -> partitions.contains(taken.partition()));
    }

    /** Partitions still waiting for their lease. */
    Set<TopicPartition> pending() {
        return pending.keySet();
    }

    /** The partitions taken over since the last call. */
    List<Taken> acquired() {
        var taken = new ArrayList<Taken>();
        Taken next;
        while ((next = acquired.poll()) != null) {
            if (pending.remove(next.partition(), next.assignment())) {
                taken.add(next);
            }
        }
        return taken;
    }

    void reloadSchedule(TopicPartition partition, Consumer<List<Leases.Scheduled>> loaded) {
        executor.execute(() -> {
            try {
                loaded.accept(leases.scheduled(partition.topic(), partition.partition(), scheduleHorizon));
            } catch (Exception e) {
                log.warn(
                        "could not read the scheduled commands of {} ({}); the next reload reads them",
                        partition,
                        e.toString());
            }
        });
    }

    private void takeOver(TopicPartition partition, Assignment assignment, long backoffMillis) {
        if (pending.get(partition) != assignment) {
            return;
        }
        try {
            acquired.add(new Taken(
                    partition,
                    assignment,
                    leases.takeOver(partition.topic(), partition.partition(), assignment.generation, scheduleHorizon)));
            return;
        } catch (Leases.Superseded e) {
            superseded(partition, assignment, e, backoffMillis);
        } catch (Exception e) {
            var outage = Jdbc.isOutage(e);
            log.warn(
                    "cannot take over {} yet ({}{}); it stays paused, retrying in {} ms",
                    partition,
                    outage ? "the database is out of reach: " : "",
                    e.getMessage(),
                    backoffMillis);
        }
        executor.schedule(
                () -> takeOver(partition, assignment, Math.min(backoffMillis * 2, 10_000)),
                backoffMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Kafka revokes a superseded assignment within a rebalance; one still here after a minute is a group whose
     * generations started again (recreated, renamed), which only an operator can tell: docs/operations.md.
     */
    private void superseded(TopicPartition partition, Assignment assignment, Leases.Superseded e, long backoffMillis) {
        long now = System.nanoTime();
        if (assignment.supersededSince == 0) {
            assignment.supersededSince = now;
        }
        if (now - assignment.supersededSince < SUPERSEDED_WARNING_NANOS) {
            log.info("not taking over {}: {}; it stays paused until Kafka revokes it", partition, e.getMessage());
        } else {
            log.warn(
                    "{} stays paused: {}, for more than a minute; if the consumer group was recreated or renamed, its"
                            + " generations started again and its leases must move to a new era (docs/operations.md,"
                            + " Fencing); retrying in {} ms",
                    partition,
                    e.getMessage(),
                    backoffMillis);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
