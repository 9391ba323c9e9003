package io.herald.bench;

import io.herald.WorkerApp;

/** What the bench reads of the worker's own metrics. */
final class WorkerReadings {
    private WorkerReadings() {}

    /** The worker's own gauges, to see where commands wait. */
    static String gauges(WorkerApp worker) {
        var out = new StringBuilder();
        for (var line : worker.metrics().render().split("\n")) {
            if (line.startsWith("herald_oneall_in_flight ")
                    || line.startsWith("herald_buffered_records ")
                    || line.startsWith("herald_oneall_waiting ")
                    || line.startsWith("herald_db_batch_seconds_count")
                    || line.startsWith("herald_db_batch_seconds_sum")
                    || line.startsWith("herald_oneall_call_seconds_sum")
                    || line.startsWith("herald_oneall_call_seconds_count")) {
                out.append(line).append("; ");
            }
        }
        return out.toString();
    }

    static long dbTransactions(io.herald.observe.Metrics metrics) {
        var rendered = metrics.render();
        for (var line : rendered.split("\n")) {
            if (line.startsWith("herald_db_batch_seconds_count")) {
                return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** The longest ledger transaction of the last two minutes, as the worker's metric keeps it. */
    static double longestLedgerBatch(WorkerApp worker) {
        for (var line : worker.metrics().render().split("\n")) {
            if (line.startsWith("herald_db_batch_seconds_max ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
