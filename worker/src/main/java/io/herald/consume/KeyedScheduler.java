package io.herald.consume;

import io.herald.command.Timer;
import io.herald.consume.PartitionWork.DrainItem;
import io.herald.consume.PartitionWork.Item;
import io.herald.consume.PartitionWork.RecordItem;
import io.herald.consume.PartitionWork.ScheduledItem;
import io.herald.schema.Validation;
import io.herald.store.Leases;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-account concurrency: the work of one account (a command's routing key) runs one item after the other, in
 * offset order; different accounts run side by side, within a partition too. An account whose command waits in the
 * ledger is <em>parked</em>: its later records park behind that command instead of waiting in memory, their offsets
 * count as finished, and when it is due a drain sends the parked commands in order. Tracks which offsets of each
 * partition may be committed. Work belongs to one assignment of its partition ({@link PartitionWork}); what finishes
 * after its partition was released, or assigned again, is ignored.
 */
final class KeyedScheduler {
    private static final Logger log = LoggerFactory.getLogger(KeyedScheduler.class);

    private final RecordHandler handler;
    private final Backpressure backpressure;
    private final Clock clock;
    /** Reads a record's key and value ({@code CommandReader}). */
    private final java.util.function.BiFunction<byte[], byte[], Validation> reader;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TopicPartition, PartitionWork> partitions = new HashMap<>();
    private final DueTimers timers;
    private final OffsetCommits commits = new OffsetCommits(partitions, lock);
    /** Drains and scheduled commands that came due while the records held were past the bound; guarded by the lock. */
    private final List<Item> deferred = new ArrayList<>();

    private boolean paused;

    KeyedScheduler(
            RecordHandler handler,
            Backpressure backpressure,
            Timer timer,
            Clock clock,
            java.util.function.BiFunction<byte[], byte[], Validation> reader) {
        this.handler = handler;
        this.backpressure = backpressure;
        this.clock = clock;
        this.reader = reader;
        this.timers = new DueTimers(timer, clock, lock, this::start);
    }

    /** A partition's work starts: its epoch, and what waits for it in the ledger (parked accounts, scheduled commands). */
    void assigned(TopicPartition partition, Leases.Takeover takeover) {
        var work = new PartitionWork(partition.topic(), partition.partition(), takeover.epoch());
        locked(() -> {
            partitions.put(partition, work);
            takeover.accounts().forEach((key, due) -> work.key(key).parked = true);
        });
        takeover.accounts().forEach((key, due) -> timers.drainAt(work, key, due));
        timers.scheduleAll(work, takeover.scheduled());
        if (!takeover.accounts().isEmpty() || !takeover.scheduled().isEmpty()) {
            log.info(
                    "{}: {} account(s) wait in the ledger, {} scheduled command(s) due soon",
                    work,
                    takeover.accounts().size(),
                    takeover.scheduled().size());
        }
    }

    /** Sets timers for scheduled commands (those already set are skipped). */
    void scheduleAll(TopicPartition partition, List<Leases.Scheduled> scheduled) {
        var work = locked(() -> partitions.get(partition));
        if (work != null) {
            timers.scheduleAll(work, scheduled);
        }
    }

    /** Called by the poll thread for each consumed record, in offset order. */
    void add(ConsumerRecord<byte[], byte[]> record) {
        var partition = new TopicPartition(record.topic(), record.partition());
        var work = locked(() -> partitions.get(partition));
        if (work == null) {
            throw new IllegalStateException("a record of " + partition + " arrived before its lease was taken");
        }
        var validation = reader.apply(record.key(), record.value());
        var item = work.record(record, validation);
        boolean startNow;
        lock.lock();
        try {
            work.offsets.started(record.offset());
            startNow = work.enqueue(item);
        } finally {
            lock.unlock();
        }
        if (startNow) {
            run(item);
        }
    }

    private void start(PartitionWork work, Item item) {
        boolean startNow;
        lock.lock();
        try {
            if (partitions.get(new TopicPartition(work.topic, work.partition)) != work || work.revoked) {
                return;
            }
            if (paused) {
                deferred.add(item);
                return;
            }
            if (item instanceof DrainItem) {
                work.key(item.key()).drainAt = null;
            } else if (item instanceof ScheduledItem scheduled) {
                work.scheduled.remove(scheduled.commandId());
            }
            startNow = work.enqueue(item);
        } finally {
            lock.unlock();
        }
        if (startNow) {
            run(item);
        }
    }

    private void run(Item item) {
        var work = item.work();
        CompletionStage<Disposition> stage;
        var holding = new LedgerHolding(work, partitions, lock, backpressure.drainPageBytes());
        try {
            stage = handler.handle(handed(item, holding));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((disposition, error) -> {
            holding.releaseAll();
            finished(item, disposition, error);
        });
    }

    private RecordHandler.Item handed(Item item, LedgerHolding holding) {
        var work = item.work();
        if (item instanceof RecordItem record) {
            return isParked(work, item.key())
                    ? new RecordHandler.BehindItsAccount(record.delivery())
                    : new RecordHandler.Consumed(record.delivery());
        }
        if (item instanceof DrainItem) {
            return new RecordHandler.Drain(work.topic, work.partition, work.epoch, item.key(), holding);
        }
        return new RecordHandler.Scheduled(
                work.topic, work.partition, work.epoch, ((ScheduledItem) item).commandId(), holding);
    }

    private boolean isParked(PartitionWork work, String key) {
        return locked(() -> {
            var keyWork = work.keys.get(key);
            return keyWork != null && keyWork.parked;
        });
    }

    private void finished(Item item, Disposition disposition, Throwable error) {
        var work = item.work();
        Item next;
        Instant drainAt;
        lock.lock();
        try {
            if (partitions.get(new TopicPartition(work.topic, work.partition)) != work) {
                return;
            }
            drainAt = work.ended(item, disposition, error, clock.instant());
            next = work.next(item);
        } finally {
            lock.unlock();
        }
        if (drainAt != null) {
            timers.drainAt(work, item.key(), drainAt);
        }
        timers.scheduleSoon(work, disposition);
        if (next != null) {
            run(next);
        }
    }

    /** An account's commands in the ledger are due now (its identity was resumed): drain it, where it waits in a partition of ours. */
    void wake(String key) {
        var waiting = new ArrayList<PartitionWork>();
        lock.lock();
        try {
            partitions.values().forEach(work -> {
                var keyWork = work.keys.get(key);
                if (keyWork != null && keyWork.parked && !work.revoked) {
                    keyWork.drainAt = null;
                    waiting.add(work);
                }
            });
        } finally {
            lock.unlock();
        }
        waiting.forEach(work -> timers.drainAt(work, key, clock.instant()));
    }

    /** The offsets that moved since they were last committed. */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        return commits.toCommit();
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commits.committed(offsets);
    }

    /** Stops starting work of these partitions; what is running goes on to its end. */
    void revoke(Collection<TopicPartition> revoked) {
        locked(() -> revoked.stream()
                .map(partitions::get)
                .filter(java.util.Objects::nonNull)
                .forEach(PartitionWork::revoke));
    }

    /** Whether work of these partitions is still running. */
    boolean running(Collection<TopicPartition> partitions) {
        return locked(
                () -> partitions.stream().map(this.partitions::get).anyMatch(work -> work != null && work.running > 0));
    }

    /** The committable offsets of these partitions, and forgets their work: what finishes later is ignored. */
    Map<TopicPartition, OffsetAndMetadata> release(Collection<TopicPartition> released) {
        return commits.release(released);
    }

    List<TopicPartition> partitions() {
        return locked(() -> new ArrayList<>(partitions.keySet()));
    }

    /** Records consumed and not yet finished, running or queued behind their account. */
    int buffered() {
        return locked(() -> partitions.values().stream()
                .mapToInt(work -> work.bufferedRecords)
                .sum());
    }

    /** What the records held and the commands drains hold count for ({@link Backpressure}). */
    long bufferedBytes() {
        return locked(() -> partitions.values().stream()
                .mapToLong(work -> work.bufferedBytes)
                .sum());
    }

    /**
     * Past the bound ({@code pause}), drains and scheduled commands coming due wait; under its low-water mark they
     * start, in the order they came due.
     */
    void pace(boolean pause) {
        List<Item> due;
        lock.lock();
        try {
            paused = pause;
            due = pause ? List.of() : new ArrayList<>(deferred);
            if (!pause) {
                deferred.clear();
            }
        } finally {
            lock.unlock();
        }
        due.forEach(item -> start(item.work(), item));
    }

    private <T> T locked(java.util.function.Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable body) {
        lock.lock();
        try {
            body.run();
        } finally {
            lock.unlock();
        }
    }
}
