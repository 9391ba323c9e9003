package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.WorkerApp;
import io.herald.config.HeraldConfig;
import io.herald.embedded.DevDirectories;
import io.herald.embedded.EmbeddedDatabase;
import io.herald.embedded.EmbeddedKafka;
import io.herald.route.Topology;
import io.herald.schema.HeraldProducer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code herald bench}: dev mode under load. The embedded broker and database and a sandbox in a
 * child JVM (so its heap is not the worker's) that answers after {@code latencyMs} and fails a
 * share of calls with 503; one worker in this JVM; push commands offered at a rate or all at once.
 * Latency is measured from each command's enqueue to its outcome event, which is produced after
 * its record is durable; throughput until every command ended and its offset was committed.
 */
public final class Benchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * What to run. {@code rate} 0 offers as fast as the producer goes; {@code preload} enqueues all before the worker
     * starts; {@code campaign} > 0 runs one campaign of that many recipients (in parts of 10,000) instead of
     * {@code commands} pushes. Latency percentiles leave out the commands enqueued in the first {@code warmUpSeconds}.
     */
    public record Options(
            int commands,
            long latencyMs,
            double failRate,
            int rate,
            int keys,
            boolean preload,
            int maxInFlight,
            int campaign,
            int campaignWindow,
            double warmUpSeconds,
            int prune) {}

    private final Options options;
    private final Function<Path, BenchSandbox> sandboxes;
    private final PrintStream progress;
    private final MemoryMeter memory = new MemoryMeter();
    private OutcomeWatcher watcher;

    /** {@code sandboxes} starts the sandbox process, logging to the file it is given. */
    public Benchmark(Options options, Function<Path, BenchSandbox> sandboxes, PrintStream progress) {
        this.options = options;
        this.sandboxes = sandboxes;
        this.progress = progress;
    }

    /** Runs the benchmark; its directory (broker, database and sandbox logs) is deleted after a run that ends, kept after one that fails. */
    public ObjectNode run() throws Exception {
        Path directory = DevDirectories.newRunDirectory("herald-bench-");
        progress.println("bench: starting the embedded broker, database and the sandbox process under " + directory);
        ObjectNode summary;
        try {
            summary = runIn(directory);
        } catch (Exception | Error e) {
            progress.println("bench: failed; its logs are kept under " + directory);
            throw e;
        }
        DevDirectories.delete(directory);
        return summary;
    }

    private ObjectNode runIn(Path directory) throws Exception {
        try (var kafka = EmbeddedKafka.start(directory.resolve("kafka"));
                var database = EmbeddedDatabase.start(directory.resolve("postgres"));
                var sandbox = sandboxes.apply(directory.resolve("sandbox.log"))) {
            var prune = new PruneLoad(options.prune(), progress);
            prune.seed(database.jdbcUrl());
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
                    Map.entry("HERALD_RETENTION_INTERVAL_S", prune.interval()),
                    Map.entry("HERALD_HTTP_PORT", "0")));
            Topology.ensureTopics(config);
            var sampler = memory.start();
            watcher = new OutcomeWatcher(
                    options.commands(), kafka.bootstrapServers(), config.kafka().outcomesTopic());
            var cpu = new CpuMeter()
                    .add("postgres", database::processHandle)
                    .add("broker", kafka::processHandle)
                    .add("sandbox", sandbox::processHandle);
            try (var producer = HeraldProducer.connect(
                    kafka.bootstrapServers(), config.kafka().commandsTopic(), Map.of("client.id", "bench-load"))) {
                return options.campaign() > 0
                        ? campaign(config, producer, database)
                        : pushes(config, producer, kafka, cpu, prune);
            } finally {
                watcher.stop();
                sampler.interrupt();
            }
        }
    }

    private ObjectNode campaign(HeraldConfig config, HeraldProducer producer, EmbeddedDatabase database)
            throws Exception {
        var worker = WorkerApp.start(config);
        try {
            awaitAssignment(worker);
            var summary = new CampaignRun(options, progress, database.jdbcUrl()).run(producer, worker);
            summary.put("peak_heap_mb", memory.peakHeapMb());
            summary.put("peak_rss_mb", MemoryMeter.peakRssMb());
            return summary;
        } finally {
            worker.shutdown(Duration.ofSeconds(10));
        }
    }

    private ObjectNode pushes(
            HeraldConfig config, HeraldProducer producer, EmbeddedKafka kafka, CpuMeter cpu, PruneLoad prune)
            throws Exception {
        WorkerApp worker = null;
        try {
            long started;
            if (options.preload()) {
                enqueue(producer);
                progress.println("bench: " + options.commands() + " commands enqueued; starting the worker");
                started = System.nanoTime();
                for (int i = 0; i < options.commands(); i++) {
                    watcher.sent(i, started);
                }
                cpu.start();
                worker = WorkerApp.start(config);
                prune.watch(worker, watcher::finished);
            } else {
                worker = WorkerApp.start(config);
                awaitAssignment(worker);
                started = System.nanoTime();
                cpu.start();
                prune.watch(worker, watcher::finished);
                enqueue(producer);
            }
            awaitFinished(worker);
            awaitCommitted(kafka.bootstrapServers(), config);
            var summary = summary(System.nanoTime() - started, worker);
            cpu.report(summary, options.commands());
            prune.report(summary);
            return summary;
        } finally {
            if (worker != null) {
                worker.shutdown(Duration.ofSeconds(10));
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
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            var json = "{\"command_id\":\"bench-" + i + "\",\"type\":\"push\",\"identity_token\":\"" + tokens[i % keys]
                    + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"Benchmark " + i + "\"}}}";
            watcher.sent(i, System.nanoTime());
            producer.send(json).exceptionally(error -> {
                progress.println("bench: a send failed: " + error.getMessage());
                return null;
            });
            if (i > 0 && i % 50_000 == 0) {
                progress.printf("bench: %d enqueued, %d ended%n", i, watcher.finished());
            }
        }
        producer.flush();
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
        while (watcher.finished() < options.commands()) {
            Thread.sleep(100);
            int count = watcher.finished();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(120)) {
                throw new IllegalStateException(
                        "no command ended for 120 s; " + count + " of " + options.commands() + " ended");
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                lastReport = System.nanoTime();
                progress.printf(
                        "bench: %d of %d ended; %s%n", count, options.commands(), WorkerReadings.gauges(worker));
            }
        }
    }

    private static void awaitCommitted(String bootstrap, HeraldConfig config) throws Exception {
        try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                var offsets = admin.listConsumerGroupOffsets(config.kafka().consumerGroup())
                        .partitionsToOffsetAndMetadata()
                        .get();
                var ends = admin.listOffsets(offsets.keySet().stream()
                                .collect(java.util.stream.Collectors.toMap(
                                        p -> p, p -> org.apache.kafka.clients.admin.OffsetSpec.latest())))
                        .all()
                        .get();
                boolean all = !offsets.isEmpty()
                        && offsets.entrySet().stream()
                                .allMatch(e -> e.getValue().offset()
                                        >= ends.get(e.getKey()).offset());
                if (all) {
                    return;
                }
                Thread.sleep(100);
            }
        }
    }

    private ObjectNode summary(long elapsedNanos, WorkerApp worker) {
        var seconds = elapsedNanos / 1e9;
        var node = MAPPER.createObjectNode();
        node.put("commands", options.commands());
        node.put("latency_ms", options.latencyMs());
        node.put("fail_rate", options.failRate());
        node.put("offered_rate", options.rate());
        node.put("keys", options.keys());
        node.put("preload", options.preload());
        node.put("max_in_flight", options.maxInFlight());
        node.put("elapsed_s", Latencies.round(seconds));
        node.put("commands_per_s", Latencies.round(options.commands() / seconds));
        Latencies.report(
                node,
                watcher,
                options.commands(),
                options.latencyMs(),
                options.preload() ? 0 : options.warmUpSeconds());
        var outcomes = node.putObject("outcomes");
        watcher.statuses().forEach((status, count) -> outcomes.put(status, count.get()));
        var metrics = worker.metrics();
        node.put("oneall_calls", metrics.counterTotal("herald_oneall_calls_total"));
        node.put("retries", metrics.counterTotal("herald_retries_total"));
        node.put(
                "db_transactions_per_command",
                Math.round(WorkerReadings.dbTransactions(metrics) * 1000.0 / options.commands()) / 1000.0);
        node.put("peak_heap_mb", memory.peakHeapMb());
        node.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        node.put("peak_rss_mb", MemoryMeter.peakRssMb());
        return node;
    }
}
