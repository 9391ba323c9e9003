package io.herald.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Latency percentiles of a benchmark's commands, without those enqueued during its warm-up (a JVM that has just
 * started compiles, connects and sizes its pools; what a user lives with is the steady state after it).
 */
final class Latencies {
    private Latencies() {}

    static void report(ObjectNode summary, OutcomeWatcher watcher, int commands, long latencyMs, double warmUpSeconds) {
        long firstSent = watcher.sentAtNanos(0);
        long warmUpNanos = (long) (warmUpSeconds * 1e9);
        var steady = IntStream.range(0, commands)
                .filter(i -> watcher.sentAtNanos(i) - firstSent >= warmUpNanos)
                .mapToLong(i -> watcher.latencyMicros()[i])
                .toArray();
        boolean warmedUp = steady.length > 0 && warmUpNanos > 0;
        var measured = warmedUp ? steady : watcher.latencyMicros().clone();
        Arrays.sort(measured);
        summary.put("warm_up_s", warmedUp ? warmUpSeconds : 0);
        summary.put("latency_measured_commands", measured.length);
        var latency = summary.putObject("enqueue_to_record_ms");
        latency.put("p50", percentile(measured, 50))
                .put("p99", percentile(measured, 99))
                .put("max", round(measured[measured.length - 1] / 1000.0));
        var overhead = summary.putObject("worker_overhead_ms");
        overhead.put("p50", round(Math.max(0, percentile(measured, 50) - latencyMs)))
                .put("p99", round(Math.max(0, percentile(measured, 99) - latencyMs)));
    }

    private static double percentile(long[] sortedMicros, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sortedMicros.length) - 1;
        return round(sortedMicros[Math.max(0, index)] / 1000.0);
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
