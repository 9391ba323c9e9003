package io.herald.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory a benchmark took: the peak of this JVM's heap in use, sampled while it runs, and the peak resident set of
 * the process as the kernel counted it.
 */
final class MemoryMeter {
    private volatile long peakHeap;

    /** Starts sampling the heap every 100 ms, until the returned thread is interrupted. */
    Thread start() {
        var memory = ManagementFactory.getMemoryMXBean();
        var thread = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peakHeap =
                                Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "bench-memory-sampler");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    long peakHeapMb() {
        return peakHeap / (1024 * 1024);
    }

    /** The process's peak resident set in MB ({@code VmHWM}), or -1 where {@code /proc} does not tell. */
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
