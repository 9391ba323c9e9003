package io.herald;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.campaign.CampaignFanOut;
import io.herald.campaign.CampaignLifecycle;
import io.herald.campaign.CampaignSchedule;
import io.herald.command.Timer;
import io.herald.config.HeraldConfig;
import io.herald.consume.Consumers;
import io.herald.consume.LeaseStore;
import io.herald.consume.Worker;
import io.herald.observe.Metrics;
import io.herald.observe.Tracing;
import io.herald.oneall.OneAll;
import io.herald.oneall.OneAllClient;
import io.herald.process.ProcessingModule;
import io.herald.route.OutboxRelay;
import io.herald.route.Publisher;
import io.herald.store.Leases;
import io.herald.store.LedgerWriter;
import io.herald.store.MessageOwners;
import io.herald.store.OutboxStore;
import io.herald.store.ParkedCommands;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.Jdbc;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The one composition root of a worker: builds each part by hand, once, the first time it is asked for, through an
 * accessor a test may override (as parallel-consumer's {@code PCModule}); what is built after an overridden part uses
 * it (a test's clock, a scripted OneAll). Whatever holds a connection, a thread or a port is handed to the {@link
 * Startup}, which closes it again when a later stage of the start fails. {@link WorkerApp} asks for the parts in the
 * order of its start-up stages, starts them and stops them.
 */
public class WorkerModule extends ProcessingModule {
    private final HeraldConfig config;
    private final Startup startup = new Startup();
    private final Tracing tracingGiven;
    private final Once<Tracing> tracing = new Once<>();
    private final Once<String> workerId = new Once<>();
    private final Once<Metrics> metrics = new Once<>();
    private final Once<Clock> clock = new Once<>();
    private final Once<Vertx> vertx = new Once<>();
    private final Once<WorkerHealth> health = new Once<>();
    private final Once<HikariDataSource> dataSource = new Once<>();
    private final Once<OneAllClient> oneAllClient = new Once<>();
    private final Once<Publisher> publisher = new Once<>();
    private final Once<OutboxRelay> relay = new Once<>();
    private final Once<LedgerWriter> ledger = new Once<>();
    private final Once<CampaignFanOut> campaigns = new Once<>();
    private final Once<CampaignSchedule> campaignSchedule = new Once<>();
    private final Once<Consumer<byte[], byte[]>> consumer = new Once<>();
    private final Once<List<KafkaClientMetrics>> clientMetrics = new Once<>();
    private final Once<Worker> worker = new Once<>();
    private final Once<Housekeeping> housekeeping = new Once<>();
    private final Once<Retention> retention = new Once<>();

    /** A worker of this configuration (its connections required), whose spans {@code tracing} makes. */
    public WorkerModule(HeraldConfig config, Tracing tracing) {
        this.config = config;
        this.tracingGiven = tracing;
    }

    @Override
    protected HeraldConfig config() {
        return config;
    }

    Startup startup() {
        return startup;
    }

    @Override
    protected Tracing tracing() {
        return tracing.get(() -> startup.opened(tracingGiven));
    }

    /** Host name for people plus a random part: a container's pid is always 1, and its host name survives a restart. */
    @Override
    protected String workerId() {
        return workerId.get(() -> System.getenv().getOrDefault("HOSTNAME", "herald") + "-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    @Override
    protected Metrics metrics() {
        return metrics.get(() -> startup.opened(new Metrics()));
    }

    @Override
    protected Clock clock() {
        return clock.get(Clock::systemUTC);
    }

    protected Vertx vertx() {
        return vertx.get(() -> {
            var built = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
            startup.opened(() -> built.close().await(10, TimeUnit.SECONDS));
            return built;
        });
    }

    @Override
    protected Timer timer() {
        var vertx = vertx();
        return (delay, task) -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
    }

    WorkerHealth health() {
        return health.get(() -> startup.opened(
                new WorkerHealth(startup, vertx(), config().operations().httpPort(), metrics())));
    }

    protected HikariDataSource dataSource() {
        return dataSource.get(() -> startup.opened(
                Database.pool(config().database(), "herald", metrics().registry())));
    }

    protected OneAllClient oneAllClient() {
        var oneall = config().oneall();
        return oneAllClient.get(() -> startup.opened(new OneAllClient(
                vertx(),
                oneall.apiUrl(),
                oneall.publicKey(),
                oneall.privateKey().value(),
                oneall.timeout(),
                oneall.maxConnections(),
                oneall.connectRate())));
    }

    @Override
    protected OneAll oneAll() {
        return oneAllClient();
    }

    protected Publisher publisher() {
        return publisher.get(() -> startup.opened(Publisher.connect(config().kafka(), workerId() + "-producer")));
    }

    protected OutboxRelay relay() {
        return relay.get(() -> startup.opened(new OutboxRelay(publisher(), new OutboxStore(dataSource()))));
    }

    @Override
    protected LedgerWriter ledger() {
        var relay = relay();
        return ledger.get(() -> startup.opened(new LedgerWriter(
                dataSource(),
                relay::committed,
                nanos -> metrics()
                        .observeSeconds(
                                "herald_db_batch_seconds",
                                "duration of one batched ledger transaction",
                                nanos / 1e9))));
    }

    @Override
    protected CampaignFanOut campaigns() {
        var kafka = config().kafka();
        return campaigns.get(() -> startup.opened(new CampaignFanOut(
                new Jdbc(dataSource()),
                ledger(),
                publisher(),
                kafka.commandsTopic(),
                kafka.outcomesTopic(),
                config().campaigns().window(),
                metrics(),
                timer(),
                clock())));
    }

    protected CampaignSchedule campaignSchedule() {
        var kafka = config().kafka();
        return campaignSchedule.get(() -> new CampaignSchedule(
                config().campaigns(),
                kafka.commandsTopic(),
                new CampaignLifecycle(new Jdbc(dataSource()), kafka.outcomesTopic()),
                publisher(),
                metrics()));
    }

    @Override
    protected ParkedCommands parked() {
        return new ParkedCommands(dataSource());
    }

    @Override
    protected MessageOwners messageOwners() {
        return new MessageOwners(dataSource());
    }

    @Override
    protected java.util.concurrent.Executor database() {
        return housekeeping().executor();
    }

    protected Consumer<byte[], byte[]> consumer() {
        return consumer.get(() -> startup.opened(Consumers.create(config(), workerId())));
    }

    /** The Kafka clients' own metrics, bound to the registry; closed with the worker. */
    List<KafkaClientMetrics> clientMetrics() {
        return clientMetrics.get(() -> {
            var binders = List.of(
                    new KafkaClientMetrics(consumer()),
                    new KafkaClientMetrics(publisher().producer()));
            binders.forEach(binder -> binder.bindTo(metrics().registry()));
            return binders;
        });
    }

    protected LeaseStore leases() {
        return LeaseStore.of(new Leases(dataSource(), workerId()));
    }

    /** The poll loop. */
    protected Worker worker() {
        var oneall = config().oneall();
        return worker.get(() -> new Worker(
                consumer(),
                new Worker.Settings(
                        config().kafka().commandsTopic(),
                        Math.max(1_000, oneall.maxInFlight() * 4),
                        config().maxBufferedBytes(),
                        oneall.drainTimeout(),
                        Duration.ofMillis(Consumers.maxPollInterval(config()) + 60_000)),
                handler(),
                leases(),
                timer(),
                clock(),
                siteKeys()::open,
                metrics()));
    }

    Housekeeping housekeeping() {
        return housekeeping.get(Housekeeping::new);
    }

    Retention retention() {
        return retention.get(
                () -> startup.opened(new Retention(config().retention(), dataSource(), metrics(), clock())));
    }

    /** A part built the first time it is asked for, then the same one. Used by the thread that starts the worker. */
    private static final class Once<T> {
        private T value;

        T get(Supplier<T> build) {
            if (value == null) {
                value = build.get();
            }
            return value;
        }
    }
}
