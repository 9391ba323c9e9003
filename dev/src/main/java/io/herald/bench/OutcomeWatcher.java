package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the outcome events of a benchmark's commands ({@code bench-N}) and keeps, for each, the time from its enqueue
 * to its event: the event is produced after the command's record is durable, so this is enqueue-to-record latency as
 * an application that waits for outcomes sees it.
 */
final class OutcomeWatcher {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final long[] sentAtNanos;
    private final long[] latencyMicros;
    private final AtomicInteger finished = new AtomicInteger();
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean watching = true;

    OutcomeWatcher(int commands, String bootstrap, String topic) {
        this.sentAtNanos = new long[commands];
        this.latencyMicros = new long[commands];
        this.thread = new Thread(() -> watch(bootstrap, topic), "bench-outcome-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    void sent(int index, long nanos) {
        sentAtNanos[index] = nanos;
    }

    int finished() {
        return finished.get();
    }

    Map<String, AtomicLong> statuses() {
        return statuses;
    }

    /** Latency of each command by its index, in microseconds; 0 for one that has not ended. */
    long[] latencyMicros() {
        return latencyMicros;
    }

    long sentAtNanos(int index) {
        return sentAtNanos[index];
    }

    void stop() throws InterruptedException {
        watching = false;
        thread.join(5_000);
    }

    private void watch(String bootstrap, String topic) {
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "bench-watcher-" + UUID.randomUUID(),
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "bench-watcher",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (watching) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    var id = new String(record.key(), StandardCharsets.UTF_8);
                    int index = indexOf(id);
                    if (index >= 0 && latencyMicros[index] == 0) {
                        latencyMicros[index] = Math.max(1, (now - sentAtNanos[index]) / 1_000);
                        finished.incrementAndGet();
                        statuses.computeIfAbsent(status(record.value()), s -> new AtomicLong())
                                .incrementAndGet();
                    }
                }
            }
        }
    }

    private static String status(byte[] event) {
        try {
            return MAPPER.readTree(event).path("status").asText("unknown");
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /**
     * The index of a push the bench sent ({@code bench-<index>}), or -1 for any other command's event: a campaign's
     * recipients ({@code bench-campaign:<n>}) and its parts.
     */
    private int indexOf(String commandId) {
        if (!commandId.startsWith("bench-") || commandId.length() > 15) {
            return -1;
        }
        var digits = commandId.substring(6);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int index = Integer.parseInt(digits);
        return index < latencyMicros.length ? index : -1;
    }
}
