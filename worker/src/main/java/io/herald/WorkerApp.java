package io.herald;

import io.herald.config.HeraldConfig;
import io.herald.consume.ProcessingSteps;
import io.herald.consume.Worker;
import io.herald.observe.HealthServer;
import io.herald.observe.Metrics;
import io.herald.oneall.OneAllClient;
import io.herald.process.CampaignSchedule;
import io.herald.process.CommandProcessor;
import io.herald.process.CredentialsGate;
import io.herald.process.Disposition;
import io.herald.route.Publisher;
import io.herald.route.Topology;
import io.herald.store.CampaignStore;
import io.herald.store.Database;
import io.herald.store.Ledger;
import io.herald.store.Migrations;
import io.herald.store.ParkingLot;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root of a worker: wires the concrete parts by hand, starts them, and stops them in order. */
public final class WorkerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerApp.class);

    private final HeraldConfig config;
    private final String workerId;
    private final Vertx vertx;
    private final Metrics metrics = new Metrics();
    private final CredentialsGate credentials = new CredentialsGate();
    private final OneAllClient client;
    private final Ledger ledger;
    private final ParkingLot parking;
    private final Publisher publisher;
    private final CommandProcessor processor;
    private final CampaignSchedule campaignSchedule;
    private final Worker worker;
    private final Thread pollThread;
    private final HealthServer health;

    private WorkerApp(HeraldConfig config) {
        this.config = config.requireConnections();
        this.workerId = newWorkerId();
        log.info("Herald worker {} starting with {}", workerId, masked(config.effectiveValues()));
        var dataSource = Database.dataSource(config.databaseUrl().orElseThrow(), config.databaseUser(), config.databasePassword());
        if (config.migrateAtStart()) {
            var result = Migrations.apply(dataSource);
            log.info("database schema at version {} ({} migration(s) applied)",
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted);
        }
        var bootstrap = config.kafkaBootstrapServers().orElseThrow();
        Topology.ensureTopics(bootstrap, config);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        this.client = new OneAllClient(vertx, config.oneallApiUrl().orElseThrow(), config.oneallPublicKey(),
                config.oneallPrivateKey().value(), config.oneallTimeout(), config.maxInFlight());
        this.ledger = new Ledger(dataSource, workerId, nanos -> metrics.observeSeconds("herald_db_batch_seconds",
                "duration of one batched database transaction", nanos / 1e9));
        this.parking = new ParkingLot(dataSource, nanos -> metrics.observeSeconds("herald_db_batch_seconds",
                "duration of one batched database transaction", nanos / 1e9));
        this.publisher = Publisher.connect(bootstrap, workerId);
        publisher.warmUp(config.deadLetterTopic(), config.outcomesTopic());
        CommandProcessor.Timer timer = (delay, task) -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
        var campaignStore = new CampaignStore(dataSource);
        this.processor = new CommandProcessor(config, ledger, parking, campaignStore, client, publisher, metrics, credentials,
                timer, Clock.systemUTC(), workerId);
        this.campaignSchedule = new CampaignSchedule(config, campaignStore, publisher, metrics);
        var steps = new ProcessingSteps() {
            @Override
            public java.util.concurrent.CompletionStage<Disposition> process(ConsumerRecord<byte[], byte[]> record) {
                return processor.process(record);
            }

            @Override
            public java.util.concurrent.CompletionStage<Disposition> park(ConsumerRecord<byte[], byte[]> record) {
                return processor.park(record);
            }

            @Override
            public java.util.concurrent.CompletionStage<Disposition> drain(String topic, int partition, byte[] key,
                    java.util.function.BooleanSupplier owned) {
                return processor.drain(topic, partition, key, owned);
            }
        };
        this.worker = new Worker(consumer(bootstrap), config, steps,
                partition -> parking.parkedAccounts(partition.topic(), partition.partition()), timer, credentials::open, metrics);
        this.pollThread = new Thread(worker, "herald-consumer");
        this.pollThread.setUncaughtExceptionHandler((thread, error) -> log.error("the consumer thread died", error));
        metrics.gauge("herald_credentials_rejected", "1 while OneAll rejects the site's keys (the worker is paused)",
                () -> credentials.open() ? 0 : 1);
        metrics.gauge("herald_ready", "1 while the worker is ready (see /health/ready)", () -> notReadyReason() == null ? 1 : 0);
        this.health = HealthServer.start(vertx, config.httpPort(), metrics, this::notReadyReason);
    }

    /** Starts a worker; the configuration must name Kafka, PostgreSQL and OneAll (dev mode lives in herald-dev.jar). */
    public static WorkerApp start(HeraldConfig config) {
        var app = new WorkerApp(config);
        app.pollThread.start();
        app.campaignSchedule.start();
        log.info("Herald worker {} consuming {} as group {}; health and metrics on port {}", app.workerId,
                app.config.commandsTopic(), app.config.consumerGroup(), app.health.port());
        return app;
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
        if (!credentials.open()) {
            return credentials.reason();
        }
        if (!ledger.healthy()) {
            return "the database is out of reach";
        }
        if (!worker.assigned()) {
            return "the consumer has no assignment yet";
        }
        return null;
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
        processor.close();
        publisher.close();
        parking.close();
        ledger.close();
        health.close();
        client.close();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Vert.x did not close cleanly", e);
        }
        log.info("Herald worker {} stopped", workerId);
    }

    private KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        var settings = new java.util.HashMap<String, Object>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId);
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // A crashed worker's partitions move to the others after 10 s instead of the default 45 s.
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(300_000, config.oneallTimeout().toMillis() * 4));
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String newWorkerId() {
        var host = System.getenv().getOrDefault("HOSTNAME", "herald");
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + UUID.randomUUID().toString().substring(0, 4);
    }

    private static String masked(Map<String, String> values) {
        var copy = new java.util.LinkedHashMap<>(values);
        copy.computeIfPresent("HERALD_DATABASE_URL", (k, v) -> v.replaceAll("(?i)(password=)[^&]*", "$1****"));
        return copy.toString();
    }
}
