package io.herald.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Herald's metrics through Micrometer's Prometheus registry, with the JVM's, the garbage collector's, the process's,
 * the Kafka clients' and the connection pool's beside them (docs/operations.md lists Herald's own). Counters,
 * histograms of seconds and gauges read at every scrape; labels come in name/value pairs.
 */
public final class Metrics implements AutoCloseable {
    private static final double[] SECONDS_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Meter> gauges = new ConcurrentHashMap<>();
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<MeterKey, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        buildInfo();
    }

    /**
     * {@code herald_build_info{version,commit} 1}: an info metric of the Prometheus registry itself, as Micrometer's
     * gauges cannot be one (the registry takes {@code _info} off their names).
     */
    private void buildInfo() {
        var build = BuildInfo.current();
        Info.builder()
                .name("herald_build_info")
                .help("the version of this build and the Git commit it was made from")
                .labelNames("version", "commit")
                .register(registry.getPrometheusRegistry())
                .setLabelValues(build.version(), build.commit());
    }

    /** The registry, for the clients' own metrics (Kafka, the connection pool). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adds one to a counter. */
    public void increment(String name, String help, String... labels) {
        add(name, help, 1, labels);
    }

    /**
     * Adds to a counter. The meter is looked up by its name and labels in a map of Herald's own: Micrometer's builder
     * and registry lookup on every call (tags sorted, an id built) were a per-command cost on the hot path.
     */
    public void add(String name, String help, long amount, String... labels) {
        counters.computeIfAbsent(
                        new MeterKey(name, List.of(labels)),
                        key -> Counter.builder(counterName(name))
                                .description(help)
                                .tags(labels)
                                .register(registry))
                .increment(amount);
    }

    public void observeSeconds(String name, String help, double seconds, String... labels) {
        summaries
                .computeIfAbsent(
                        new MeterKey(name, List.of(labels)),
                        key -> DistributionSummary.builder(baseName(name))
                                .description(help)
                                .baseUnit("seconds")
                                .serviceLevelObjectives(SECONDS_BUCKETS)
                                .tags(labels)
                                .register(registry))
                .record(seconds);
    }

    /** A meter's name and its labels in the order given: the key of the maps above. */
    private record MeterKey(String name, List<String> labels) {}

    /** A gauge read at every scrape; registering it again with the same labels replaces it. */
    public void gauge(String name, String help, Supplier<Number> value, String... labels) {
        var key = name + Tags.of(labels);
        var previous = gauges.remove(key);
        if (previous != null) {
            registry.remove(previous);
        }
        gauges.put(
                key,
                Gauge.builder(name, value, supplier -> supplier.get().doubleValue())
                        .description(help)
                        .tags(labels)
                        .strongReference(true)
                        .register(registry));
    }

    public void removeGauge(String name, String... labels) {
        var meter = gauges.remove(name + Tags.of(labels));
        if (meter != null) {
            registry.remove(meter);
        }
    }

    /** The value of a counter, for summaries (the bench, the demo). */
    public long counter(String name, String... labels) {
        var counter = registry.find(counterName(name)).tags(labels).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /** The sum of a counter over all its labels. */
    public long counterTotal(String name) {
        return (long) registry.find(counterName(name)).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** The value of a gauge, or 0. */
    public double gaugeValue(String name, String... labels) {
        var gauge = registry.find(name).tags(labels).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    /** Everything in the Prometheus text format. */
    public String render() {
        return registry.scrape();
    }

    /** Micrometer adds {@code _total} to a counter's name itself. */
    private static String counterName(String name) {
        return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }

    /** Micrometer adds the base unit ({@code _seconds}) itself. */
    private static String baseName(String name) {
        return name.endsWith("_seconds") ? name.substring(0, name.length() - "_seconds".length()) : name;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
