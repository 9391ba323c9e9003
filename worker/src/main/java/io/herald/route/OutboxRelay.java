package io.herald.route;

import io.herald.store.OutboxMessage;
import io.herald.store.OutboxRelayItem;
import io.herald.store.OutboxStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox to Kafka: dead letters and outcome events are rows written with the ledger change they belong
 * to; once that transaction commits they are sent, and their rows deleted when Kafka has them. Rows a worker left
 * behind (it died between the commit and Kafka's acknowledgement) are swept up by any worker after 15 s. Delivery is
 * at least once, and nothing is lost by a crash between the database and Kafka.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int SWEEP_AFTER_SECONDS = 15;

    private final Publisher publisher;
    private final OutboxStore store;
    private final ConcurrentLinkedQueue<Long> sent = new ConcurrentLinkedQueue<>();
    private final AtomicLong unsent = new AtomicLong();
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "herald-outbox");
        thread.setDaemon(true);
        return thread;
    });

    public OutboxRelay(Publisher publisher, OutboxStore store) {
        this.publisher = publisher;
        this.store = store;
        housekeeping.scheduleWithFixedDelay(this::deleteSent, 100, 100, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
    }

    /** The outbox rows of a transaction that just committed: sent now, in order. */
    public void committed(List<OutboxRelayItem> items) {
        for (var item : items) {
            unsent.incrementAndGet();
            publisher.send(record(item.message())).whenComplete((metadata, error) -> {
                unsent.decrementAndGet();
                if (error == null) {
                    sent.add(item.id());
                } else {
                    log.warn("outbox message {} not sent ({}); a sweep sends it later", item.id(), error.toString());
                }
            });
        }
    }

    /** Messages handed to Kafka and not acknowledged yet. */
    public long unsent() {
        return unsent.get();
    }

    private void deleteSent() {
        var ids = new ArrayList<Long>();
        Long id;
        while (ids.size() < 5_000 && (id = sent.poll()) != null) {
            ids.add(id);
        }
        if (ids.isEmpty()) {
            return;
        }
        try {
            store.delete(ids);
        } catch (Exception e) {
            sent.addAll(ids);
            log.debug("outbox rows not deleted yet ({}); retrying", e.toString());
        }
    }

    private void sweep() {
        try {
            int swept = store.sweep(SWEEP_AFTER_SECONDS, 1_000, items -> {
                var sends = items.stream()
                        .map(item -> publisher
                                .send(record(item.message()))
                                .toCompletableFuture()
                                .thenApply(metadata -> item.id()))
                        .toList();
                try {
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                            .get(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // what Kafka has is deleted; the rest stays for the next sweep
                }
                return sends.stream()
                        .filter(send -> send.isDone() && !send.isCompletedExceptionally())
                        .map(CompletableFuture::join)
                        .toList();
            });
            if (swept > 0) {
                log.info("sent {} outbox message(s) that a worker had left behind", swept);
            }
        } catch (Exception e) {
            log.debug("outbox sweep skipped ({})", e.toString());
        }
    }

    static ProducerRecord<byte[], byte[]> record(OutboxMessage message) {
        var headers = new RecordHeaders();
        message.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(message.topic(), null, message.key(), message.value(), headers);
    }

    /** Sends what was handed over, deletes what Kafka has, then stops. */
    @Override
    public void close() {
        publisher.flush();
        housekeeping.shutdown();
        try {
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteSent();
    }
}
