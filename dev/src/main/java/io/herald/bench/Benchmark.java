package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.WorkerApp;
import io.herald.config.HeraldConfig;
import io.herald.embedded.DevDirectories;
import io.herald.embedded.EmbeddedDatabase;
import io.herald.embedded.EmbeddedKafka;
import io.herald.dev.SandboxProcess;
import io.herald.route.Topology;
import io.herald.schema.HeraldProducer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code herald bench}: dev mode under load. The embedded broker and database and a sandbox in a
 * child JVM (so its heap is not the worker's) that answers after {@code latencyMs} and fails a
 * share of calls with 503; one worker in this JVM; push commands offered at a rate or all at once.
 * Latency is measured from each command's enqueue to its outcome event, which is produced after
 * its record is durable; throughput until every command ended and its offset was committed.
 */
public final class Benchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What to run. {@code rate} 0 offers as fast as the producer goes; {@code preload} enqueues all before the worker starts. */
    /** {@code campaign} > 0: one campaign of that many recipients (in parts of 10,000) instead of {@code commands} pushes. */
    public record Options(int commands, long latencyMs, double failRate, int rate, int keys, boolean preload, int maxInFlight,
            int campaign, int campaignWindow) {}

    private final Options options;
    private final PrintStream progress;
    private final long[] sentAtNanos;
    private final long[] latencyMicros;
    private final AtomicInteger finished = new AtomicInteger();
    private final Map<String, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long peakHeap;
    private volatile boolean watching = true;

    public Benchmark(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        this.sentAtNanos = new long[options.commands()];
        this.latencyMicros = new long[options.commands()];
    }

    public ObjectNode run() throws Exception {
        Path directory = DevDirectories.newRunDirectory("herald-bench-");
        progress.println("bench: starting the embedded broker, database and the sandbox process under " + directory);
        try (var kafka = EmbeddedKafka.start(directory.resolve("kafka"));
                var database = EmbeddedDatabase.start(directory.resolve("postgres"));
                var sandbox = SandboxProcess.start(directory.resolve("sandbox.log"))) {
            sandbox.setFaults("{\"latencyMs\":" + options.latencyMs() + ",\"errorRates\":"
                    + (options.failRate() > 0 ? "{\"503\":" + options.failRate() + "}" : "{}") + "}");
            var config = HeraldConfig.from(Map.ofEntries(
                    Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                    Map.entry("HERALD_DATABASE_URL", database.jdbcUrl()),
                    Map.entry("HERALD_DATABASE_USER", EmbeddedDatabase.USER),
                    Map.entry("ONEALL_API_URL", sandbox.baseUri().toString()),
                    Map.entry("ONEALL_PUBLIC_KEY", sandbox.publicKey()),
                    Map.entry("ONEALL_PRIVATE_KEY", sandbox.privateKey()),
                    Map.entry("HERALD_MAX_IN_FLIGHT", Integer.toString(options.maxInFlight())),
                    Map.entry("HERALD_RETRY_BACKOFF_MS", "200"),
                    Map.entry("HERALD_RETRY_MAX_BACKOFF_MS", "2000"),
                    Map.entry("HERALD_CAMPAIGN_WINDOW", Integer.toString(options.campaignWindow())),
                    Map.entry("HERALD_HTTP_PORT", "0")));
            Topology.ensureTopics(config);
            var sampler = startMemorySampler();
            var watcher = startOutcomeWatcher(kafka.bootstrapServers(), config.kafka().outcomesTopic());
            WorkerApp worker = null;
            long started;
            try (var producer = HeraldProducer.connect(kafka.bootstrapServers(), config.kafka().commandsTopic(), Map.of())) {
                if (options.campaign() > 0) {
                    worker = WorkerApp.start(config);
                    awaitAssignment(worker);
                    var summary = new CampaignRun(options, progress, database.jdbcUrl()).run(producer, worker);
                    summary.put("peak_heap_mb", peakHeap / (1024 * 1024));
                    summary.put("peak_rss_mb", peakRssMb());
                    watching = false;
                    sampler.interrupt();
                    return summary;
                }
                if (options.preload()) {
                    enqueue(producer);
                    progress.println("bench: " + options.commands() + " commands enqueued; starting the worker");
                    started = System.nanoTime();
                    Arrays.fill(sentAtNanos, started);
                    worker = WorkerApp.start(config);
                } else {
                    worker = WorkerApp.start(config);
                    awaitAssignment(worker);
                    started = System.nanoTime();
                    enqueue(producer);
                }
                awaitFinished(worker);
                awaitCommitted(kafka.bootstrapServers(), config);
                long elapsed = System.nanoTime() - started;
                var summary = summary(elapsed, worker);
                watching = false;
                watcher.join(5_000);
                sampler.interrupt();
                return summary;
            } finally {
                if (worker != null) {
                    worker.shutdown(Duration.ofSeconds(10));
                }
            }
        }
    }

    private void enqueue(HeraldProducer producer) {
        int keys = Math.max(1, options.keys());
        var tokens = new String[keys];
        for (int i = 0; i < keys; i++) {
            tokens[i] = UUID.randomUUID().toString();
        }
        long start = System.nanoTime();
        for (int i = 0; i < options.commands(); i++) {
            if (options.rate() > 0) {
                long due = start + (long) (i * 1e9 / options.rate());
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
            var json = "{\"command_id\":\"bench-" + i + "\",\"type\":\"push\",\"identity_token\":\"" + tokens[i % keys]
                    + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"Benchmark " + i + "\"}}}";
            sentAtNanos[i] = System.nanoTime();
            producer.send(json).exceptionally(error -> {
                progress.println("bench: a send failed: " + error.getMessage());
                return null;
            });
            if (i > 0 && i % 50_000 == 0) {
                progress.printf("bench: %d enqueued, %d ended%n", i, finished.get());
            }
        }
        producer.flush();
    }

    private Thread startOutcomeWatcher(String bootstrap, String topic) {
        var thread = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-watcher-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (watching) {
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        var id = new String(record.key(), StandardCharsets.UTF_8);
                        if (!id.startsWith("bench-")) {
                            continue;
                        }
                        int index = Integer.parseInt(id.substring(6));
                        if (latencyMicros[index] == 0) {
                            latencyMicros[index] = Math.max(1, (now - sentAtNanos[index]) / 1_000);
                            finished.incrementAndGet();
                            statuses.computeIfAbsent(status(record.value()), s -> new AtomicLong()).incrementAndGet();
                        }
                    }
                }
            }
        }, "bench-outcome-watcher");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String status(byte[] event) {
        try {
            return MAPPER.readTree(event).path("status").asText("unknown");
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }

    private Thread startMemorySampler() {
        var memory = ManagementFactory.getMemoryMXBean();
        var thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-memory-sampler");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void awaitAssignment(WorkerApp worker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (worker.notReadyReason() != null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private void awaitFinished(WorkerApp worker) throws InterruptedException {
        long lastReport = System.nanoTime();
        int lastCount = -1;
        long lastProgress = System.nanoTime();
        while (finished.get() < options.commands()) {
            Thread.sleep(100);
            int count = finished.get();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(120)) {
                throw new IllegalStateException("no command ended for 120 s; " + count + " of " + options.commands() + " ended");
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                lastReport = System.nanoTime();
                progress.printf("bench: %d of %d ended; %s%n", count, options.commands(), gauges(worker));
            }
        }
    }

    private static void awaitCommitted(String bootstrap, HeraldConfig config) throws Exception {
        try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                var offsets = admin.listConsumerGroupOffsets(config.kafka().consumerGroup()).partitionsToOffsetAndMetadata().get();
                var ends = admin.listOffsets(offsets.keySet().stream().collect(java.util.stream.Collectors.toMap(p -> p,
                        p -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
                boolean all = !offsets.isEmpty() && offsets.entrySet().stream()
                        .allMatch(e -> e.getValue().offset() >= ends.get(e.getKey()).offset());
                if (all) {
                    return;
                }
                Thread.sleep(100);
            }
        }
    }

    private ObjectNode summary(long elapsedNanos, WorkerApp worker) {
        var sorted = latencyMicros.clone();
        Arrays.sort(sorted);
        var seconds = elapsedNanos / 1e9;
        var node = MAPPER.createObjectNode();
        node.put("commands", options.commands());
        node.put("latency_ms", options.latencyMs());
        node.put("fail_rate", options.failRate());
        node.put("offered_rate", options.rate());
        node.put("keys", options.keys());
        node.put("preload", options.preload());
        node.put("max_in_flight", options.maxInFlight());
        node.put("elapsed_s", round(seconds));
        node.put("commands_per_s", round(options.commands() / seconds));
        var latency = node.putObject("enqueue_to_record_ms");
        latency.put("p50", percentile(sorted, 50)).put("p99", percentile(sorted, 99)).put("max", round(sorted[sorted.length - 1] / 1000.0));
        var overhead = node.putObject("worker_overhead_ms");
        overhead.put("p50", round(Math.max(0, percentile(sorted, 50) - options.latencyMs())))
                .put("p99", round(Math.max(0, percentile(sorted, 99) - options.latencyMs())));
        var outcomes = node.putObject("outcomes");
        statuses.forEach((status, count) -> outcomes.put(status, count.get()));
        var metrics = worker.metrics();
        node.put("oneall_calls", metrics.counterTotal("herald_oneall_calls_total"));
        node.put("retries", metrics.counterTotal("herald_retries_total"));
        node.put("db_transactions_per_command", round(dbTransactions(metrics) / (double) options.commands()));
        node.put("peak_heap_mb", peakHeap / (1024 * 1024));
        node.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        node.put("peak_rss_mb", peakRssMb());
        return node;
    }

    /** The worker's own gauges, to see where commands wait. */
    private static String gauges(WorkerApp worker) {
        var out = new StringBuilder();
        for (var line : worker.metrics().render().split("\n")) {
            if (line.startsWith("herald_oneall_in_flight ") || line.startsWith("herald_buffered_records ")
                    || line.startsWith("herald_oneall_waiting ") || line.startsWith("herald_db_batch_seconds_count")
                    || line.startsWith("herald_db_batch_seconds_sum") || line.startsWith("herald_oneall_call_seconds_sum")
                    || line.startsWith("herald_oneall_call_seconds_count")) {
                out.append(line).append("; ");
            }
        }
        return out.toString();
    }

    private static long dbTransactions(io.herald.observe.Metrics metrics) {
        var rendered = metrics.render();
        for (var line : rendered.split("\n")) {
            if (line.startsWith("herald_db_batch_seconds_count")) {
                return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static double percentile(long[] sortedMicros, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sortedMicros.length) - 1;
        return round(sortedMicros[Math.max(0, index)] / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static long peakRssMb() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

}
