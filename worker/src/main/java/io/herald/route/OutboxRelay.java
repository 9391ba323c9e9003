package io.herald.route;

import io.herald.store.OutboxMessage;
import io.herald.store.OutboxRelayItem;
import io.herald.store.OutboxStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox to Kafka: dead letters and outcome events are rows written with the ledger change they belong to;
 * once that transaction commits they are handed to the producer, and their rows deleted when Kafka has them. Delivery
 * is at least once, and nothing is lost by a crash between the database and Kafka.
 *
 * <p>Threads: the ledger writer only hands the committed rows over ({@link #committed}), which never waits; the
 * {@code herald-outbox-sender} thread hands them to the producer, and is the one that waits {@code max.block.ms} when
 * the broker is out of reach and the producer's buffer full; {@code herald-outbox} deletes what Kafka has, renews the
 * leases of the rows this relay holds ({@link HeldRows}) and sweeps up rows whose lease is older than 15 s: those of a
 * worker that died, and those that found no room in this relay. A row held is handed to the producer once, until
 * Kafka acknowledges it or the send fails (it is then handed over again after a pause); the rows that find no room
 * wait in the table, not in the heap.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    static final int SWEEP_AFTER_SECONDS = 15;
    static final int RENEW_AFTER_SECONDS = 5;
    static final int HOLD_AT_MOST = 10_000;
    /** Bytes of messages waiting for the sender at most; a committed row beyond them waits in the table. */
    static final long WAITING_BYTES = 16L * 1024 * 1024;

    private static final int SWEEP_AT_MOST = 2_000;
    private static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Publisher publisher;
    private final OutboxStore store;
    private final HeldRows held = new HeldRows(HOLD_AT_MOST);
    private final LinkedBlockingQueue<OutboxRelayItem> waiting = new LinkedBlockingQueue<>();
    private final AtomicLong waitingBytes = new AtomicLong();
    private final AtomicLong lastFailureNanos = new AtomicLong(System.nanoTime() - PAUSE_AFTER_FAILURE_NANOS);
    private final Thread sender;
    private volatile boolean running = true;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "herald-outbox");
        thread.setDaemon(true);
        return thread;
    });

    public OutboxRelay(Publisher publisher, OutboxStore store) {
        this.publisher = publisher;
        this.store = store;
        this.sender = new Thread(this::handOver, "herald-outbox-sender");
        sender.setDaemon(true);
        sender.start();
        housekeeping.scheduleWithFixedDelay(this::deleteSent, 100, 100, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::renewAndSweep, 5, 5, TimeUnit.SECONDS);
    }

    /**
     * The outbox rows of a transaction that just committed, on the ledger writer's thread: held and queued for the
     * sender, in order, without waiting. A row that finds no room stays in the table for a sweep.
     */
    public void committed(List<OutboxRelayItem> items) {
        int left = 0;
        for (var item : items) {
            if (!running || !queue(item)) {
                left++;
            }
        }
        if (left > 0) {
            log.debug("{} outbox message(s) wait in the table: the relay holds as much as it may", left);
        }
    }

    /** Messages handed to Kafka and not acknowledged yet. */
    public long unsent() {
        return held.handed();
    }

    private boolean queue(OutboxRelayItem item) {
        long bytes = size(item.message());
        if (waitingBytes.get() + bytes > WAITING_BYTES || !held.hold(item.id())) {
            return false;
        }
        waitingBytes.addAndGet(bytes);
        waiting.add(item);
        return true;
    }

    /** The sender's loop: hands each waiting row to the producer, pausing a little after a send failed. */
    private void handOver() {
        while (running || !waiting.isEmpty()) {
            try {
                long pause = lastFailureNanos.get() + PAUSE_AFTER_FAILURE_NANOS - System.nanoTime();
                if (pause > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(pause, TimeUnit.MILLISECONDS.toNanos(100)));
                    continue;
                }
                var item = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (item != null) {
                    waitingBytes.addAndGet(-size(item.message()));
                    hand(item);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("the outbox sender met the unexpected; it carries on", e);
            }
        }
        OutboxRelayItem item;
        while ((item = waiting.poll()) != null) {
            held.release(item.id());
        }
    }

    /** Hands one row to the producer: this may wait for {@code max.block.ms} while its buffer is full. */
    private void hand(OutboxRelayItem item) {
        long id = item.id();
        held.handed(id);
        try {
            publisher.send(record(item.message())).whenComplete((metadata, error) -> {
                if (error == null) {
                    held.acknowledged(id);
                } else {
                    failed(item, error);
                }
            });
        } catch (RuntimeException e) {
            failed(item, e);
        }
    }

    /** The row waits to be handed over again, after a pause that spares a broker out of reach a send a moment. */
    private void failed(OutboxRelayItem item, Throwable error) {
        held.failed(item.id());
        lastFailureNanos.set(System.nanoTime());
        waitingBytes.addAndGet(size(item.message()));
        waiting.add(item);
        log.warn("outbox message {} not sent ({}); handing it over again", item.id(), error.toString());
    }

    private void deleteSent() {
        var ids = held.toDelete(5_000);
        if (ids.isEmpty()) {
            return;
        }
        try {
            store.delete(ids);
            held.deleted(ids);
        } catch (Exception e) {
            log.debug("outbox rows not deleted yet ({}); retrying", e.toString());
        }
    }

    /** Renews the leases of the rows held, then takes the rows whose lease is old, as far as there is room. */
    private void renewAndSweep() {
        try {
            store.renew(held.all(), RENEW_AFTER_SECONDS);
            int room = Math.min(held.room(), SWEEP_AT_MOST);
            if (room <= 0 || waitingBytes.get() > WAITING_BYTES / 2 || !running) {
                return;
            }
            int swept = 0;
            for (var item : store.take(SWEEP_AFTER_SECONDS, room, held.all())) {
                if (queue(item)) {
                    swept++;
                }
            }
            if (swept > 0) {
                log.info("handing over {} outbox message(s) left behind or not sent before", swept);
            }
        } catch (Exception e) {
            log.debug("outbox sweep skipped ({})", e.toString());
        }
    }

    /** The message's record: the original record's headers as they came, then Herald's own, which replace any of their names. */
    static ProducerRecord<byte[], byte[]> record(OutboxMessage message) {
        var headers = new RecordHeaders();
        for (var carried : message.recordHeaders().all()) {
            if (!message.headers().containsKey(carried.key())) {
                headers.add(carried.key(), carried.value());
            }
        }
        message.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(message.topic(), null, message.key(), message.value(), headers);
    }

    private static long size(OutboxMessage message) {
        return (message.key() == null ? 0 : message.key().length) + message.value().length;
    }

    /**
     * Hands over what is waiting, waits up to 10 s for Kafka to acknowledge what was handed, deletes those rows, then
     * stops; what Kafka has not acknowledged stays in the table, and another worker sends it after 15 s.
     */
    @Override
    public void close() {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            sender.join(TimeUnit.SECONDS.toMillis(10));
            while (held.handed() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        housekeeping.shutdown();
        try {
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteSent();
    }
}
