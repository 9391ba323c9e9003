package io.herald;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.campaign.CampaignFanOut;
import io.herald.campaign.CampaignLifecycle;
import io.herald.campaign.CampaignSchedule;
import io.herald.command.Timer;
import io.herald.config.HeraldConfig;
import io.herald.consume.Consumers;
import io.herald.consume.Worker;
import io.herald.observe.BuildInfo;
import io.herald.observe.Metrics;
import io.herald.observe.Tracing;
import io.herald.oneall.OneAllClient;
import io.herald.process.Processing;
import io.herald.route.OutboxRelay;
import io.herald.route.Publisher;
import io.herald.route.Topology;
import io.herald.store.Database;
import io.herald.store.IdentityHolds;
import io.herald.store.Jdbc;
import io.herald.store.Leases;
import io.herald.store.LedgerWriter;
import io.herald.store.Orphans;
import io.herald.store.OutboxStore;
import io.herald.store.ParkedCommands;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root of a worker: wires the concrete parts by hand, starts them, and stops them in order. */
public final class WorkerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerApp.class);

    private final HeraldConfig config;
    private final String workerId;
    private final Metrics metrics = new Metrics();
    private final Clock clock = Clock.systemUTC();
    private final Tracing tracing;
    private final HikariDataSource dataSource;
    private final Vertx vertx;
    private final OneAllClient client;
    private final Publisher publisher;
    private final OutboxRelay relay;
    private final LedgerWriter ledger;
    private final CampaignFanOut campaigns;
    private final CampaignSchedule campaignSchedule;
    private final Processing processing;
    private final Worker worker;
    private final Thread pollThread;
    private final WorkerHealth health;
    private final Housekeeping housekeeping = new Housekeeping();
    private final Retention retention;
    private final List<KafkaClientMetrics> clientMetrics;
    private volatile Runnable onPollLoopDeath = () -> {};

    /** Opens the health endpoints first, then goes through the start-up stages they report; see {@link #start}. */
    private WorkerApp(HeraldConfig config, Startup startup, Tracing tracing) {
        this.config = config;
        this.tracing = startup.opened(tracing);
        this.workerId = newWorkerId();
        log.info("Herald {} worker {} starting with {}", BuildInfo.current(), workerId, config.effectiveValues());
        startup.opened(metrics);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        startup.opened(() -> vertx.close().await(10, TimeUnit.SECONDS));
        this.health = startup.opened(
                new WorkerHealth(startup, vertx, config.operations().httpPort(), metrics));
        this.dataSource = startup.opened(Database.pool(config.database(), "herald", metrics.registry()));
        startup.migrateIfAsked(config.database(), dataSource);
        startup.stage("creating topics");
        Topology.ensureTopics(config);
        Topology.checkRetention(config);
        Timer timer = (delay, task) -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
        var oneall = config.oneall();
        this.client = startup.opened(oneAllClient(vertx, oneall));
        startup.stage("connecting to Kafka");
        this.publisher = startup.opened(Publisher.connect(config.kafka(), workerId + "-producer"));
        // the metadata of the topics it produces dead letters, outcome events and campaign recipients to, fetched now
        publisher.warmUp(
                config.kafka().deadLetterTopic(),
                config.kafka().outcomesTopic(),
                config.kafka().commandsTopic());
        this.relay = startup.opened(new OutboxRelay(publisher, new OutboxStore(dataSource)));
        this.ledger = new LedgerWriter(
                dataSource,
                relay::committed,
                nanos -> metrics.observeSeconds(
                        "herald_db_batch_seconds", "duration of one batched ledger transaction", nanos / 1e9));
        startup.opened(ledger);
        var jdbc = new Jdbc(dataSource);
        this.campaigns = startup.opened(campaignFanOut(jdbc, timer, clock));
        this.campaignSchedule = new CampaignSchedule(
                config.campaigns(),
                config.kafka().commandsTopic(),
                new CampaignLifecycle(jdbc, config.kafka().outcomesTopic()),
                publisher,
                metrics);
        this.processing = new Processing(
                config,
                ledger,
                new ParkedCommands(dataSource),
                client,
                campaigns,
                metrics,
                timer,
                clock,
                workerId,
                housekeeping.executor(),
                tracing);
        var consumer = startup.opened(Consumers.create(config, workerId));
        this.clientMetrics = List.of(new KafkaClientMetrics(consumer), new KafkaClientMetrics(publisher.producer()));
        clientMetrics.forEach(binder -> binder.bindTo(metrics.registry()));
        this.worker = consumeCommands(consumer, oneall, timer);
        this.pollThread = pollThread(worker);
        this.retention = startup.opened(backgroundChores(clock));
    }

    private static OneAllClient oneAllClient(Vertx vertx, HeraldConfig.OneAll oneall) {
        return new OneAllClient(
                vertx,
                oneall.apiUrl(),
                oneall.publicKey(),
                oneall.privateKey().value(),
                oneall.timeout(),
                oneall.maxConnections(),
                oneall.connectRate());
    }

    /** Wired after the ledger and the publisher, which it uses. */
    private CampaignFanOut campaignFanOut(Jdbc jdbc, Timer timer, Clock clock) {
        return new CampaignFanOut(
                jdbc,
                ledger,
                publisher,
                config.kafka().commandsTopic(),
                config.kafka().outcomesTopic(),
                config.campaigns().window(),
                metrics,
                timer,
                clock);
    }

    /** The poll loop, wired after the processing whose handler it calls. */
    private Worker consumeCommands(Consumer<byte[], byte[]> consumer, HeraldConfig.OneAll oneall, Timer timer) {
        return new Worker(
                consumer,
                new Worker.Settings(
                        config.kafka().commandsTopic(),
                        Math.max(1_000, oneall.maxInFlight() * 4),
                        config.maxBufferedBytes(),
                        oneall.drainTimeout(),
                        Duration.ofMillis(Consumers.maxPollInterval(config) + 60_000)),
                processing.handler(),
                new Leases(dataSource, workerId),
                timer,
                clock,
                processing::siteKeysAccepted,
                metrics);
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
    private Retention backgroundChores(Clock clock) {
        housekeeping.watchIdentities(new IdentityHolds(dataSource), worker::wake, metrics);
        housekeeping.reapOrphans(new Orphans(dataSource), campaigns, relay::committed, config, metrics);
        housekeeping.watchDatabase(dataSource);
        metrics.gauge(
                "herald_outbox_unsent",
                "dead letters and outcome events handed to Kafka and not acknowledged yet",
                relay::unsent);
        return new Retention(config.retention(), dataSource, metrics, clock);
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
        var startup = new Startup();
        WorkerApp app;
        try {
            app = new WorkerApp(config.requireConnections(), startup, tracing);
        } catch (RuntimeException | Error e) {
            startup.abort();
            throw e;
        }
        app.pollThread.start();
        app.retention.start();
        app.health.running(new WorkerHealth.Running(app.worker, app.processing, app.housekeeping, app.ledger));
        app.campaignSchedule.start();
        log.info(
                "Herald worker {} consuming {} as group {}; health and metrics on port {}",
                app.workerId,
                app.config.kafka().commandsTopic(),
                app.config.kafka().consumerGroup(),
                app.health.port());
        return app;
    }

    /** What to do when the poll loop dies: {@code herald run} ends the process so that it is restarted. */
    public WorkerApp onPollLoopDeath(Runnable action) {
        this.onPollLoopDeath = action;
        if (worker.died()) {
            action.run();
        }
        return this;
    }

    public HeraldConfig config() {
        return config;
    }

    public Metrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return health.port();
    }

    public String workerId() {
        return workerId;
    }

    /** Why the worker is not ready, or null when it is. */
    public String notReadyReason() {
        return health.notReadyReason();
    }

    /** Drains running commands within the deadline, commits, and stops everything it started. */
    public void shutdown(Duration deadline) {
        try {
            worker.shutdown(deadline);
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
                worker.shutdown(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        campaignSchedule.close();
        campaigns.close();
        housekeeping.close();
        retention.close();
        ledger.close();
        relay.close();
        clientMetrics.forEach(KafkaClientMetrics::close);
        publisher.close();
        dataSource.close();
        health.close();
        client.close();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Vert.x did not close cleanly", e);
        }
        metrics.close();
        tracing.close();
        log.info("Herald worker {} stopped", workerId);
    }

    /** Host name for people plus a random part: a container's pid is always 1, and its host name survives a restart. */
    private static String newWorkerId() {
        var host = System.getenv().getOrDefault("HOSTNAME", "herald");
        return host + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
