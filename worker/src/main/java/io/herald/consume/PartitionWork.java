package io.herald.consume;

import io.herald.schema.DeadLetterHeaders;
import io.herald.schema.Validation;
import io.herald.store.RecordHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One assignment of one partition: its lease's epoch, the offsets handed out and not yet finished, and each
 * account's queue of work. A partition assigned again gets a new one, so work of an earlier assignment that
 * completes late finds its own, not the new one. Not thread-safe: {@link KeyedScheduler} locks.
 */
final class PartitionWork {
    private static final Logger log = LoggerFactory.getLogger(PartitionWork.class);

    /** A parked-behind account whose head this worker did not park is looked at again this soon. */
    private static final Duration UNKNOWN_DUE_CHECK = Duration.ofSeconds(1);

    private static final Duration DRAIN_RETRY = Duration.ofSeconds(5);

    /** One unit of an account's work. */
    sealed interface Item {
        PartitionWork work();

        String key();
    }

    /** A consumed record; {@code weight}: what it counts for in the bytes held ({@link Backpressure#weight}). */
    record RecordItem(PartitionWork work, String key, Delivery delivery, long weight) implements Item {}

    /** The drain of the account's parked commands. */
    record DrainItem(PartitionWork work, String key) implements Item {}

    /** A scheduled command that came due. */
    record ScheduledItem(PartitionWork work, String key, String commandId) implements Item {}

    static final class KeyWork {
        final ArrayDeque<Item> queue = new ArrayDeque<>();
        /** The account waits in the ledger: its records park behind. */
        boolean parked;
        /** When a drain of it is scheduled, or null. */
        Instant drainAt;
    }

    final String topic;
    final int partition;
    final long epoch;
    final OffsetTracker offsets = new OffsetTracker();
    final Map<String, KeyWork> keys = new HashMap<>();
    /** Scheduled commands whose timer is set, so that a reload of the schedule does not set them twice. */
    final Set<String> scheduled = new HashSet<>();

    int running;
    int bufferedRecords;
    /** What the records held, and the commands drains hold, count for ({@link Backpressure}). */
    long bufferedBytes;

    boolean revoked;

    PartitionWork(String topic, int partition, long epoch) {
        this.topic = topic;
        this.partition = partition;
        this.epoch = epoch;
    }

    KeyWork key(String key) {
        return keys.computeIfAbsent(key, k -> new KeyWork());
    }

    /** A consumed record as an item of this assignment: its delivery carries the lease's epoch. */
    RecordItem record(ConsumerRecord<byte[], byte[]> record, Validation validation) {
        var returned = record.headers().lastHeader(DeadLetterHeaders.ERROR_CLASS);
        if (returned != null) {
            log.warn(
                    "the record at {}/{}/{} carries a dead letter's headers ({}={}): it is processed as any record, so a"
                            + " command that has ended is not sent again by it; to replay dead letters, use herald replay"
                            + " (--from-topic reads the dead-letter topic)",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    DeadLetterHeaders.ERROR_CLASS,
                    returned.value() == null
                            ? ""
                            : new String(returned.value(), java.nio.charset.StandardCharsets.UTF_8)
                                    .replaceAll("[^a-z-]", "?"));
        }
        var delivery = new Delivery(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                epoch,
                validation,
                null,
                headers(record.headers()));
        return new RecordItem(
                this, schedulingKey(record, validation), delivery, Backpressure.weight(record.key(), record.value()));
    }

    /** The record's headers as they came; none costs nothing. */
    static RecordHeaders headers(org.apache.kafka.common.header.Headers headers) {
        var all = headers.toArray();
        if (all.length == 0) {
            return RecordHeaders.NONE;
        }
        var kept = new java.util.ArrayList<RecordHeaders.Header>(all.length);
        for (var header : all) {
            kept.add(new RecordHeaders.Header(header.key(), header.value()));
        }
        return RecordHeaders.of(kept);
    }

    /**
     * The account a record is scheduled by: its command's routing key, whatever the record's key says (a producer that
     * keys records wrongly cannot reorder one account's commands, and a null key cannot stop a drain); a record that is
     * no valid command has no account, so it waits for nothing.
     */
    static String schedulingKey(ConsumerRecord<byte[], byte[]> record, Validation validation) {
        if (validation instanceof Validation.Valid valid) {
            return valid.command().routingKey();
        }
        return "\u0000" + record.offset();
    }

    /** Adds an item to its account's queue; true when it is to start now (the account had nothing running). */
    boolean enqueue(Item item) {
        var keyWork = key(item.key());
        keyWork.queue.add(item);
        if (item instanceof RecordItem record) {
            bufferedRecords++;
            bufferedBytes += record.weight();
        }
        if (keyWork.queue.size() == 1) {
            running++;
            return true;
        }
        return false;
    }

    /** The account's finished item leaves its queue; returns the next one to start, or null. */
    Item next(Item finished) {
        var keyWork = keys.get(finished.key());
        keyWork.queue.poll();
        if (finished instanceof RecordItem record) {
            bufferedRecords--;
            bufferedBytes -= record.weight();
        }
        if (revoked) {
            dropQueued(keyWork);
        }
        if (keyWork.queue.isEmpty()) {
            running--;
            if (!keyWork.parked && keyWork.drainAt == null) {
                keys.remove(finished.key());
            }
            return null;
        }
        return keyWork.queue.peek();
    }

    /**
     * An item of the account ended, holding the scheduler's lock: a record's offset finishes (unless it failed or was
     * dropped), the account is parked or no longer; returns when the account is to drain next, or null.
     */
    Instant ended(Item item, Disposition disposition, Throwable error, Instant now) {
        var keyWork = keys.get(item.key());
        Instant drainAt = null;
        if (item instanceof RecordItem record) {
            if (error != null) {
                // Not finished: the offset stays uncommitted and the record is consumed again after a restart.
                SchedulerLog.recordFailed(this, record, error);
            } else if (!(disposition instanceof Disposition.Dropped)) {
                offsets.finished(record.delivery().offset());
            }
        } else if (error != null) {
            SchedulerLog.retried(this, item, DRAIN_RETRY, error);
            drainAt = now.plus(DRAIN_RETRY);
        }
        if (disposition instanceof Disposition.Parked parked) {
            keyWork.parked = true;
            drainAt = parked.dueAt() != null
                    ? parked.dueAt()
                    : keyWork.drainAt == null ? now.plus(UNKNOWN_DUE_CHECK) : null;
        } else if (item instanceof DrainItem && error == null) {
            keyWork.parked = false;
        }
        if (drainAt != null) {
            keyWork.drainAt = keyWork.drainAt == null || drainAt.isBefore(keyWork.drainAt) ? drainAt : keyWork.drainAt;
        }
        return drainAt;
    }

    /** Stops starting work: what runs goes on to its end, what waits behind it is dropped (the next owner consumes it). */
    void revoke() {
        revoked = true;
        keys.values().forEach(keyWork -> {
            var head = keyWork.queue.poll();
            dropQueued(keyWork);
            if (head != null) {
                keyWork.queue.add(head);
            }
        });
    }

    private void dropQueued(KeyWork keyWork) {
        for (var item : keyWork.queue) {
            if (item instanceof RecordItem record) {
                bufferedRecords--;
                bufferedBytes -= record.weight();
            }
        }
        keyWork.queue.clear();
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + epoch;
    }
}
