package io.herald.observe;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Herald's metrics in the Prometheus text format: counters and histograms with labels, and gauges
 * read when scraped. Small on purpose; names and units are documented in the README.
 */
public final class Metrics {
    private static final double[] SECONDS_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<String, Family> families = new ConcurrentHashMap<>();

    private record Family(String help, String type, Map<String, Object> series) {}

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[SECONDS_BUCKETS.length];
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < SECONDS_BUCKETS.length; i++) {
                if (seconds <= SECONDS_BUCKETS[i]) {
                    buckets[i].increment();
                }
            }
            count.increment();
            sum.add(seconds);
        }
    }

    /** Adds one to a counter; {@code labels} alternate names and values. */
    public void increment(String name, String help, String... labels) {
        add(name, help, 1, labels);
    }

    public void add(String name, String help, long amount, String... labels) {
        var family = families.computeIfAbsent(name, n -> new Family(help, "counter", new ConcurrentHashMap<>()));
        ((LongAdder) family.series().computeIfAbsent(labels(labels), l -> new LongAdder())).add(amount);
    }

    public void observeSeconds(String name, String help, double seconds, String... labels) {
        var family = families.computeIfAbsent(name, n -> new Family(help, "histogram", new ConcurrentHashMap<>()));
        ((Histogram) family.series().computeIfAbsent(labels(labels), l -> new Histogram())).observe(seconds);
    }

    /** A gauge read at every scrape. */
    public void gauge(String name, String help, Supplier<Number> value, String... labels) {
        var family = families.computeIfAbsent(name, n -> new Family(help, "gauge", new ConcurrentHashMap<>()));
        family.series().put(labels(labels), value);
    }

    public void removeGauge(String name, String... labels) {
        var family = families.get(name);
        if (family != null) {
            family.series().remove(labels(labels));
        }
    }

    /** The value of a counter, for tests and summaries. */
    public long counter(String name, String... labels) {
        var family = families.get(name);
        var series = family == null ? null : family.series().get(labels(labels));
        return series instanceof LongAdder adder ? adder.sum() : 0;
    }

    /** The sum of a counter over all its labels. */
    public long counterTotal(String name) {
        var family = families.get(name);
        return family == null ? 0 : family.series().values().stream()
                .mapToLong(series -> series instanceof LongAdder adder ? adder.sum() : 0).sum();
    }

    public String render() {
        var out = new StringBuilder();
        for (var entry : new TreeMap<>(families).entrySet()) {
            var name = entry.getKey();
            var family = entry.getValue();
            out.append("# HELP ").append(name).append(' ').append(family.help()).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(family.type()).append('\n');
            for (var series : new TreeMap<>(family.series()).entrySet()) {
                var labels = series.getKey();
                if (series.getValue() instanceof LongAdder adder) {
                    out.append(name).append(braces(labels)).append(' ').append(adder.sum()).append('\n');
                } else if (series.getValue() instanceof Supplier<?> supplier) {
                    out.append(name).append(braces(labels)).append(' ').append(format(((Number) supplier.get()).doubleValue())).append('\n');
                } else if (series.getValue() instanceof Histogram histogram) {
                    for (int i = 0; i < SECONDS_BUCKETS.length; i++) {
                        out.append(name).append("_bucket").append(braces(join(labels, "le=\"" + format(SECONDS_BUCKETS[i]) + "\"")))
                                .append(' ').append(histogram.buckets[i].sum()).append('\n');
                    }
                    out.append(name).append("_bucket").append(braces(join(labels, "le=\"+Inf\""))).append(' ')
                            .append(histogram.count.sum()).append('\n');
                    out.append(name).append("_sum").append(braces(labels)).append(' ').append(format(histogram.sum.sum())).append('\n');
                    out.append(name).append("_count").append(braces(labels)).append(' ').append(histogram.count.sum()).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String labels(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        var out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append(pairs[i]).append("=\"").append(pairs[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.toString();
    }

    private static String join(String labels, String more) {
        return labels.isEmpty() ? more : labels + "," + more;
    }

    private static String braces(String labels) {
        return labels.isEmpty() ? "" : "{" + labels + "}";
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }
}
