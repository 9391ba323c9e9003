package io.herald.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * CPU seconds spent by each part of a benchmark between two samples: the worker (this JVM without the load generator's
 * threads), PostgreSQL (its process and its backends), the broker and the sandbox. On a machine whose cores are all
 * busy, throughput is CPU per command, so this says where a command's cost goes.
 */
final class CpuMeter {
    /** Threads of this JVM that generate the load or watch it, not the worker's. */
    private static final String[] LOAD_THREADS = {
        "main", "bench-", "kafka-producer-network-thread | bench-load", "kafka-coordinator-heartbeat-thread | bench-"
    };

    private final Map<String, Supplier<Optional<ProcessHandle>>> processes = new LinkedHashMap<>();
    private Map<String, Double> start;

    CpuMeter add(String part, Supplier<Optional<ProcessHandle>> process) {
        processes.put(part, process);
        return this;
    }

    void start() {
        start = sample();
    }

    /** CPU seconds of each part since {@link #start()}, and per command in milliseconds. */
    void report(ObjectNode summary, int commands) {
        var end = sample();
        var seconds = summary.putObject("cpu_s");
        var perCommand = summary.putObject("cpu_ms_per_command");
        end.forEach((part, value) -> {
            double used = value - start.getOrDefault(part, 0.0);
            seconds.put(part, Math.round(used * 10) / 10.0);
            perCommand.put(part, Math.round(used * 1000 / commands * 1000) / 1000.0);
        });
    }

    private Map<String, Double> sample() {
        var values = new LinkedHashMap<String, Double>();
        double load = loadThreadsSeconds();
        values.put("worker", seconds(ProcessHandle.current()) - load);
        values.put("load_generator", load);
        processes.forEach((part, process) ->
                values.put(part, process.get().map(CpuMeter::withDescendants).orElse(0.0)));
        return values;
    }

    private static double withDescendants(ProcessHandle process) {
        return seconds(process)
                + process.descendants().mapToDouble(CpuMeter::seconds).sum();
    }

    private static double seconds(ProcessHandle process) {
        return process.info()
                .totalCpuDuration()
                .map(duration -> duration.toNanos() / 1e9)
                .orElse(0.0);
    }

    private static double loadThreadsSeconds() {
        var threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && isLoadThread(info.getThreadName())) {
                nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return nanos / 1e9;
    }

    private static boolean isLoadThread(String name) {
        for (var prefix : LOAD_THREADS) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
