package io.herald.config;

import static io.herald.config.Settings.*;

import io.herald.command.UnknownOutcomePolicy;
import io.herald.config.Setting.Need;
import io.herald.observe.UrlCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every setting of Herald, read from the environment and validated at start (each one defined once in
 * {@link Settings}). A value Herald cannot use is a {@link ConfigException} naming its variable; so is a
 * missing connection setting that the subcommand {@linkplain #require(Need...) requires}.
 */
public record HeraldConfig(
        Kafka kafka,
        Database database,
        OneAll oneall,
        Retries retries,
        Campaigns campaigns,
        Operations operations,
        Retention retention,
        Map<Setting<?>, Object> values) {

    /**
     * Kafka: the brokers, Herald's topics, the workers' consumer group, and the client properties (security, SASL,
     * TLS) every Kafka client of Herald's is made with.
     */
    public record Kafka(
            String bootstrapServers,
            String commandsTopic,
            String deadLetterTopic,
            String outcomesTopic,
            int partitions,
            String consumerGroup,
            KafkaClientProperties client) {}

    /**
     * PostgreSQL: where the ledger is, and how a worker talks to it.
     *
     * @param lockTimeout              how long a statement waits for a lock before it is cancelled
     * @param idleInTransactionTimeout how long a session may hold a transaction open between statements
     */
    public record Database(
            String url,
            String user,
            Secret password,
            int poolSize,
            Duration statementTimeout,
            Duration lockTimeout,
            Duration idleInTransactionTimeout,
            boolean migrateAtStart) {}

    /** The OneAll site and how it is called. */
    public record OneAll(
            URI apiUrl,
            String publicKey,
            Secret privateKey,
            Duration timeout,
            int maxInFlight,
            RateLimits rateLimits,
            int maxConnections,
            int connectRate) {
        /** What a call that reached its timeout may still take to be settled and recorded. */
        public static final Duration SETTLING = Duration.ofSeconds(10);

        /**
         * How long a partition handed over, or a worker stopping, waits for the calls under way: their timeout and
         * their settling, so that each ends known rather than in flight for the next owner to find.
         */
        public Duration drainTimeout() {
            return timeout.plus(SETTLING);
        }
    }

    /**
     * What happens to a call that failed.
     *
     * @param retryAfterMax the longest {@code Retry-After} honoured
     * @param identityHold  how long an identity whose credentials OneAll refused holds its commands
     * @param orphanAfter   how long a command is left pending with nothing to bring it back before a worker does
     */
    public record Retries(
            int maxAttempts,
            Duration backoff,
            Duration maxBackoff,
            Duration retryAfterMax,
            UnknownOutcomePolicy onUnknownOutcome,
            Duration identityHold,
            Duration orphanAfter) {}

    /**
     * How campaigns fan out and are followed.
     *
     * @param window          recipients of one campaign fanned out and not yet ended, at most
     * @param refreshInterval how often an active campaign's message is refreshed (zero: never)
     * @param trackingPeriod  how long after its start a campaign's referrals are refreshed
     */
    public record Campaigns(int window, Duration refreshInterval, Duration trackingPeriod) {}

    /**
     * How long what has ended stays in PostgreSQL (docs/operations.md, "Retention"); a zero duration keeps it for ever.
     *
     * @param commands        an ended command, after it ended
     * @param deadLetters     a dead letter, after it failed, was replayed or was superseded
     * @param referralSamples a referral sample, after it was taken
     * @param interval        how often a worker prunes
     */
    public record Retention(Duration commands, Duration deadLetters, Duration referralSamples, Duration interval) {
        /**
         * Whether an ended command stays in the ledger for longer than a record can stay on the commands topic
         * ({@code lifetime}: its {@code retention.ms} plus {@code segment.ms}, or null when the topic keeps records for
         * ever): if not, a record still on the topic and read again (an offset reset, a new consumer group) could find
         * its command pruned and be carried out a second time.
         */
        public boolean outlives(Duration lifetime) {
            return commands.isZero() || (lifetime != null && commands.compareTo(lifetime) > 0);
        }
    }

    /** Health, metrics, logs and the console. */
    public record Operations(int httpPort, String logFormat, Secret consoleToken) {}

    public HeraldConfig {
        values = Map.copyOf(values);
        if (retries.maxBackoff().compareTo(retries.backoff()) < 0) {
            throw new ConfigException("HERALD_RETRY_MAX_BACKOFF_MS must not be smaller than HERALD_RETRY_BACKOFF_MS");
        }
    }

    public static HeraldConfig fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * Reads every setting, and the Kafka client properties of {@code HERALD_KAFKA_CONFIG_FILE} and the {@code KAFKA_}
     * variables; connection settings may be missing until {@link #require(Need...)} asks for them. The file's
     * {@code bootstrap.servers} stands for {@code KAFKA_BOOTSTRAP_SERVERS} when that is unset.
     */
    public static HeraldConfig from(Map<String, String> env) {
        var values = new LinkedHashMap<Setting<?>, Object>();
        var problems = new ArrayList<String>();
        var client = KafkaClientProperties.NONE;
        try {
            var file = env.getOrDefault(KAFKA_CONFIG_FILE.name(), "").trim();
            client = KafkaClientProperties.read(file.isEmpty() ? null : Path.of(file), env);
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        var bootstrap = env.get(KAFKA_BOOTSTRAP_SERVERS.name());
        if (bootstrap == null || bootstrap.isBlank()) {
            bootstrap = client.values().get("bootstrap.servers");
        }
        for (var setting : ALL) {
            try {
                var raw = setting == KAFKA_BOOTSTRAP_SERVERS ? bootstrap : env.get(setting.name());
                setting.read(raw).ifPresent(value -> values.put(setting, value));
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return new HeraldConfig(values, client.without("bootstrap.servers"));
    }

    private HeraldConfig(Map<Setting<?>, Object> values, KafkaClientProperties client) {
        this(
                new Kafka(
                        get(values, KAFKA_BOOTSTRAP_SERVERS),
                        get(values, TOPIC_COMMANDS),
                        get(values, TOPIC_DLT),
                        get(values, TOPIC_OUTCOMES),
                        get(values, TOPIC_PARTITIONS),
                        get(values, CONSUMER_GROUP),
                        client),
                new Database(
                        get(values, DATABASE_URL),
                        get(values, DATABASE_USER),
                        get(values, DATABASE_PASSWORD),
                        get(values, DATABASE_POOL_SIZE),
                        get(values, DATABASE_STATEMENT_TIMEOUT),
                        get(values, DATABASE_LOCK_TIMEOUT),
                        get(values, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT),
                        get(values, MIGRATE_AT_START)),
                new OneAll(
                        get(values, ONEALL_API_URL),
                        get(values, ONEALL_PUBLIC_KEY),
                        get(values, ONEALL_PRIVATE_KEY),
                        get(values, ONEALL_TIMEOUT),
                        get(values, MAX_IN_FLIGHT),
                        get(values, RATE_LIMITS),
                        get(values, ONEALL_MAX_CONNECTIONS),
                        get(values, ONEALL_CONNECT_RATE)),
                new Retries(
                        get(values, MAX_ATTEMPTS),
                        get(values, RETRY_BACKOFF),
                        get(values, RETRY_MAX_BACKOFF),
                        get(values, RETRY_AFTER_MAX),
                        get(values, ON_UNKNOWN_OUTCOME),
                        get(values, IDENTITY_HOLD),
                        get(values, ORPHAN_AFTER)),
                new Campaigns(
                        get(values, CAMPAIGN_WINDOW), get(values, CAMPAIGN_REFRESH), get(values, CAMPAIGN_TRACKING)),
                new Operations(get(values, HTTP_PORT), get(values, LOG_FORMAT), get(values, CONSOLE_TOKEN)),
                new Retention(
                        get(values, RETENTION_COMMANDS),
                        get(values, RETENTION_DEAD_LETTERS),
                        get(values, RETENTION_REFERRAL_SAMPLES),
                        get(values, RETENTION_INTERVAL)),
                values);
    }

    /** The most bytes of records a worker holds before it pauses consumption ({@code HERALD_MAX_BUFFERED_MB}). */
    public long maxBufferedBytes() {
        int megabytes = get(values, MAX_BUFFERED_MB);
        return megabytes * 1024L * 1024L;
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<Setting<?>, Object> values, Setting<T> setting) {
        return (T) values.get(setting);
    }

    /**
     * This configuration, when every setting of the named connections is set; otherwise a {@link ConfigException} naming
     * each missing variable. Nothing stands in for a missing one: an embedded broker, a throw-away database or the
     * sandbox are dev mode's ({@code herald-dev.jar dev}), asked for by name.
     */
    public HeraldConfig require(Need... needs) {
        Set<Need> needed = needs.length == 0 ? EnumSet.noneOf(Need.class) : EnumSet.of(needs[0], needs);
        List<String> missing = ALL.stream()
                .filter(s -> needed.contains(s.needs()) && !values.containsKey(s))
                .map(Setting::name)
                .toList();
        if (!missing.isEmpty()) {
            throw new ConfigException("missing configuration: " + String.join(", ", missing)
                    + (needed.contains(Need.ONEALL) && needed.contains(Need.KAFKA)
                            ? " (for dev mode on an embedded broker, database and OneAll sandbox run herald-dev.jar dev)"
                            : ""));
        }
        return this;
    }

    /** A worker needs Kafka, PostgreSQL and OneAll. */
    public HeraldConfig requireConnections() {
        return require(Need.KAFKA, Need.DATABASE, Need.ONEALL);
    }

    /**
     * The effective value of every setting, then every Kafka client property by where it came from, secrets and the
     * credentials of URLs masked ({@link UrlCredentials}), for the start-up log.
     */
    public Map<String, String> effectiveValues() {
        var shown = new LinkedHashMap<String, String>();
        for (var setting : ALL) {
            var value = values.get(setting);
            shown.put(setting.name(), setting.shown(value));
        }
        shown.putAll(kafka.client().shown());
        return shown;
    }

    /** This configuration with some variables set otherwise (dev mode fills in its embedded servers so). */
    public HeraldConfig with(Map<String, String> overrides) {
        var env = new LinkedHashMap<String, String>();
        values.forEach((setting, value) -> env.put(setting.name(), raw(setting, value)));
        env.values().removeIf(String::isEmpty);
        env.putAll(kafka.client().variables());
        env.putAll(overrides);
        return from(env);
    }

    private static String raw(Setting<?> setting, Object value) {
        if (value instanceof Secret secret) {
            return secret.value();
        }
        if (value instanceof RateLimits limits) {
            return limits.perSecond().isEmpty() ? "" : limits.toString();
        }
        if (value instanceof Duration duration) {
            return Long.toString(setting.inUnitOfName(duration));
        }
        return value.toString();
    }

    @Override
    public String toString() {
        return "HeraldConfig" + effectiveValues();
    }
}
