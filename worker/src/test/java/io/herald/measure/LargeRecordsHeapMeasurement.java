package io.herald.measure;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.Faults;
import io.herald.testing.WorkerHarness;
import io.herald.testing.WorkerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A measurement, not part of the suite (its name matches neither *Test nor *IT): a worker in a JVM of its own
 * ({@code -Xmx384m}, see {@link WorkerProcess}) consumes a backlog of large records while OneAll is slow and the
 * calls are few, so that records pile up; its heap and what it holds are sampled from its /metrics. Run it with
 * {@code ./mvnw -B -o verify -pl worker -am -Dit.test=LargeRecordsHeapMeasurement -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false [-Dmeasure.maxBufferedMb=N]}.
 */
@Timeout(600)
class LargeRecordsHeapMeasurement {
    private static final int RECORDS = Integer.getInteger("measure.records", 300);
    private static final int MESSAGE_BYTES = 900 * 1024;

    @Test
    void heap_with_a_backlog_of_large_records() throws Exception {
        var maxBufferedMb = System.getProperty("measure.maxBufferedMb", "128");
        try (var herald =
                new WorkerHarness().with("HERALD_MAX_IN_FLIGHT", "4").with("HERALD_MAX_BUFFERED_MB", maxBufferedMb)) {
            herald.sandbox().setFaults(Faults.NONE.withLatency(300, 0));
            var commands = new ArrayList<String>();
            var text = "x".repeat(MESSAGE_BYTES);
            for (int i = 0; i < RECORDS; i++) {
                commands.add(aPush().withId("large-" + i)
                        .forIdentity(token())
                        .to("linkedin/post")
                        .saying(text)
                        .json());
            }
            for (var command : commands) {
                herald.send(command);
            }
            var worker = herald.startWorkerProcess("large");
            var heap = new AtomicLong();
            var live = new AtomicLong();
            var held = new AtomicLong();
            var records = new AtomicLong();
            var sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(
                    () -> sample(worker.port(), heap, live, held, records), 0, 200, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> !worker.alive()
                            || herald.count(
                                            "SELECT count(*) FROM commands WHERE status IN ('succeeded', 'dead_lettered')")
                                    == RECORDS);
            sampler.shutdown();
            System.out.printf(
                    "MEASURED %d records of %d KB, HERALD_MAX_BUFFERED_MB=%s, -Xmx384m: peak heap used %d MB, peak live"
                            + " data after GC %d MB, peak held %d MB (weighted), peak records held %d; %s succeeded,"
                            + " after %.0f s; worker alive: %s%n",
                    RECORDS,
                    MESSAGE_BYTES / 1024,
                    maxBufferedMb,
                    heap.get() >> 20,
                    live.get() >> 20,
                    held.get() >> 20,
                    records.get(),
                    herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"),
                    (System.nanoTime() - started) / 1e9,
                    worker.alive());
            assertThat(worker.alive()).as("see " + worker.log()).isTrue();
        }
    }

    /** Reads the worker's gauges from its /metrics and keeps the highest seen. */
    private static void sample(int port, AtomicLong heap, AtomicLong live, AtomicLong held, AtomicLong records) {
        try {
            var body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            double heapUsed = 0;
            for (var line : body.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heapUsed += value(line);
                } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                    live.accumulateAndGet((long) value(line), Math::max);
                } else if (line.startsWith("herald_buffered_bytes")) {
                    held.accumulateAndGet((long) value(line), Math::max);
                } else if (line.startsWith("herald_buffered_records")) {
                    records.accumulateAndGet((long) value(line), Math::max);
                }
            }
            heap.accumulateAndGet((long) heapUsed, Math::max);
        } catch (Exception e) {
            // the worker is not up yet, or between two answers: the next sample reads it
        }
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
