package io.herald;

import io.herald.config.HeraldConfig;
import io.herald.consume.Worker;
import io.herald.observe.BuildInfo;
import io.herald.observe.Metrics;
import io.herald.observe.Tracing;
import io.herald.route.Topology;
import io.herald.store.IdentityHolds;
import io.herald.store.Orphans;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker's lifecycle over its parts, which {@link WorkerModule} builds: the start-up stages in order, the
 * poll loop's thread, the health it reports, and the stop, in order.
 */
public final class WorkerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerApp.class);

    private final WorkerModule module;
    private final HeraldConfig config;
    private final Thread pollThread;
    private volatile Runnable onPollLoopDeath = () -> {};

    /** Opens the health endpoints first, then goes through the start-up stages they report; see {@link #start}. */
    private WorkerApp(WorkerModule module) {
        this.module = module;
        this.config = module.config();
        var startup = module.startup();
        module.tracing();
        log.info(
                "Herald {} worker {} starting with {}",
                BuildInfo.current(),
                module.workerId(),
                config.effectiveValues());
        module.metrics();
        module.vertx();
        module.health();
        startup.migrateIfAsked(config.database(), module.dataSource());
        startup.stage("creating topics");
        Topology.ensureTopics(config);
        Topology.checkRetention(config);
        module.oneAllClient();
        startup.stage("connecting to Kafka");
        // the metadata of the topics it produces dead letters, outcome events and campaign recipients to, fetched now
        module.publisher()
                .warmUp(
                        config.kafka().deadLetterTopic(),
                        config.kafka().outcomesTopic(),
                        config.kafka().commandsTopic());
        module.ledger();
        module.campaigns();
        module.campaignSchedule();
        module.handler();
        module.clientMetrics();
        this.pollThread = pollThread(module.worker());
        backgroundChores();
    }

    private Thread pollThread(Worker worker) {
        var thread = new Thread(worker, "herald-consumer");
        thread.setUncaughtExceptionHandler((dead, error) -> {
            log.error("the consumer thread died; the worker is not live any more", error);
            onPollLoopDeath.run();
        });
        return thread;
    }

    /**
     * The chores beside the processing: identities resumed or expired, orphaned commands, the database's reachability
     * (which readiness reads) and the outbox's gauge; the pruning of what is past its retention, started with the worker.
     */
    private void backgroundChores() {
        var housekeeping = module.housekeeping();
        var dataSource = module.dataSource();
        var metrics = module.metrics();
        var relay = module.relay();
        housekeeping.watchIdentities(new IdentityHolds(dataSource), module.worker()::wake, metrics);
        housekeeping.reapOrphans(new Orphans(dataSource), module.campaigns(), relay::committed, config, metrics);
        housekeeping.watchDatabase(dataSource);
        metrics.gauge(
                "herald_outbox_unsent",
                "dead letters and outcome events handed to Kafka and not acknowledged yet",
                relay::unsent);
        module.retention();
    }

    /**
     * Starts a worker; the configuration must name Kafka, PostgreSQL and OneAll (dev mode lives in herald-dev.jar). Its
     * health endpoints answer from the start ({@link WorkerHealth}); a stage that fails closes what the start opened.
     */
    public static WorkerApp start(HeraldConfig config) {
        return start(config, Tracing.fromEnvironment());
    }

    /** A worker whose spans {@code tracing} makes (a test's in-memory exporter; {@link #start(HeraldConfig)}: the {@code OTEL_*} variables'). */
    public static WorkerApp start(HeraldConfig config, Tracing tracing) {
        return start(new WorkerModule(config.requireConnections(), tracing));
    }

    /** A worker whose parts {@code module} builds (a test's module may override some of them). */
    public static WorkerApp start(WorkerModule module) {
        WorkerApp app;
        try {
            app = new WorkerApp(module);
        } catch (RuntimeException | Error e) {
            module.startup().abort();
            throw e;
        }
        app.pollThread.start();
        module.retention().start();
        module.health()
                .running(new WorkerHealth.Running(
                        module.worker(), module.siteKeys(), module.housekeeping(), module.ledger()));
        module.campaignSchedule().start();
        log.info(
                "Herald worker {} consuming {} as group {}; health and metrics on port {}",
                module.workerId(),
                app.config.kafka().commandsTopic(),
                app.config.kafka().consumerGroup(),
                module.health().port());
        return app;
    }

    /** What to do when the poll loop dies: {@code herald run} ends the process so that it is restarted. */
    public WorkerApp onPollLoopDeath(Runnable action) {
        this.onPollLoopDeath = action;
        if (module.worker().died()) {
            action.run();
        }
        return this;
    }

    public HeraldConfig config() {
        return config;
    }

    public Metrics metrics() {
        return module.metrics();
    }

    public int httpPort() {
        return module.health().port();
    }

    public String workerId() {
        return module.workerId();
    }

    /** Why the worker is not ready, or null when it is. */
    public String notReadyReason() {
        return module.health().notReadyReason();
    }

    /** Drains running commands within the deadline, commits, and stops everything it started. */
    public void shutdown(Duration deadline) {
        try {
            module.worker().shutdown(deadline);
            pollThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        if (pollThread.isAlive()) {
            try {
                module.worker().shutdown(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        module.campaignSchedule().close();
        module.campaigns().close();
        module.housekeeping().close();
        module.retention().close();
        module.ledger().close();
        module.relay().close();
        module.clientMetrics().forEach(KafkaClientMetrics::close);
        module.publisher().close();
        module.dataSource().close();
        module.health().close();
        module.oneAllClient().close();
        try {
            module.vertx().close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Vert.x did not close cleanly", e);
        }
        module.metrics().close();
        module.tracing().close();
        log.info("Herald worker {} stopped", module.workerId());
    }
}
