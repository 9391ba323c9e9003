package io.herald.config;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting of a Herald worker, read from the environment (contract §5), validated at start.
 *
 * <p>An empty {@code kafkaBootstrapServers}, {@code databaseUrl} or {@code oneallApiUrl} means dev
 * mode for that part: the embedded broker, the embedded PostgreSQL or the built-in OneAll sandbox.
 *
 * @param maxInFlight   concurrent OneAll calls per worker
 * @param maxAttempts   calls to OneAll for one command before it is dead-lettered as {@code exhausted}
 * @param oneallTimeout how long a call may take before its outcome counts as unknown
 */
public record HeraldConfig(
        Optional<String> kafkaBootstrapServers,
        Optional<String> databaseUrl,
        String databaseUser,
        Secret databasePassword,
        Optional<URI> oneallApiUrl,
        String oneallPublicKey,
        Secret oneallPrivateKey,
        String commandsTopic,
        String deadLetterTopic,
        String outcomesTopic,
        int topicPartitions,
        String consumerGroup,
        int maxInFlight,
        int maxAttempts,
        Duration retryBackoff,
        Duration retryMaxBackoff,
        Duration oneallTimeout,
        UnknownOutcomePolicy onUnknownOutcome,
        int httpPort,
        boolean migrateAtStart,
        String logFormat,
        CampaignSettings campaigns) {

    /**
     * How campaigns fan out and are followed.
     *
     * @param window          recipients of one campaign fanned out onto the commands topic and not yet ended, at most
     * @param refreshInterval how often the message of an active campaign is refreshed (zero: never on schedule)
     * @param trackingPeriod  how long after its start a campaign's referrals are still refreshed
     */
    public record CampaignSettings(int window, Duration refreshInterval, Duration trackingPeriod) {
        public CampaignSettings {
            require(window >= 1, "HERALD_CAMPAIGN_WINDOW", "must be at least 1");
            require(!refreshInterval.isNegative(), "HERALD_CAMPAIGN_REFRESH_S", "must not be negative");
            require(!trackingPeriod.isNegative(), "HERALD_CAMPAIGN_TRACKING_H", "must not be negative");
        }
    }

    public enum UnknownOutcomePolicy {
        DEAD_LETTER("dead-letter"), RETRY("retry");

        private final String word;

        UnknownOutcomePolicy(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static UnknownOutcomePolicy parse(String value) {
            for (var policy : values()) {
                if (policy.word.equals(value)) {
                    return policy;
                }
            }
            throw new IllegalArgumentException("expected dead-letter or retry");
        }
    }

    public static final Duration MIN_ONEALL_TIMEOUT = Duration.ofSeconds(15);

    /** The variables Herald reads, in the order the README's configuration table lists them. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("KAFKA_BOOTSTRAP_SERVERS", "(embedded broker, dev mode)", "Kafka brokers", false),
            new Setting("HERALD_DATABASE_URL", "(embedded PostgreSQL, dev mode)", "PostgreSQL JDBC URL", false),
            new Setting("HERALD_DATABASE_USER", "postgres", "database user", false),
            new Setting("HERALD_DATABASE_PASSWORD", "(empty)", "database password", true),
            new Setting("ONEALL_API_URL", "(built-in sandbox, dev mode)", "the OneAll site, e.g. https://mysite.api.oneall.com", false),
            new Setting("ONEALL_PUBLIC_KEY", "(sandbox key in dev mode)", "site public key", false),
            new Setting("ONEALL_PRIVATE_KEY", "(sandbox key in dev mode)", "site private key", true),
            new Setting("HERALD_TOPIC_COMMANDS", "herald.commands", "commands topic", false),
            new Setting("HERALD_TOPIC_DLT", "herald.commands.dlt", "dead-letter topic", false),
            new Setting("HERALD_TOPIC_OUTCOMES", "herald.outcomes", "outcome events topic", false),
            new Setting("HERALD_TOPIC_PARTITIONS", "12", "partitions of topics the worker creates", false),
            new Setting("HERALD_CONSUMER_GROUP", "herald", "Kafka consumer group of the workers", false),
            new Setting("HERALD_MAX_IN_FLIGHT", "1000", "concurrent OneAll calls per worker", false),
            new Setting("HERALD_MAX_ATTEMPTS", "8", "calls for one command before it is exhausted", false),
            new Setting("HERALD_RETRY_BACKOFF_MS", "1000", "first retry delay", false),
            new Setting("HERALD_RETRY_MAX_BACKOFF_MS", "300000", "cap of the exponential retry delay", false),
            new Setting("HERALD_ONEALL_TIMEOUT_MS", "30000", "how long a OneAll call may take before its outcome is unknown (at least 15000)", false),
            new Setting("HERALD_ON_UNKNOWN_OUTCOME", "dead-letter", "dead-letter or retry", false),
            new Setting("HERALD_HTTP_PORT", "8080", "health and metrics port (0: any free port)", false),
            new Setting("HERALD_MIGRATE_AT_START", "true", "apply database migrations when a worker starts", false),
            new Setting("HERALD_LOG_FORMAT", "auto", "json, text, or auto: text in dev mode, JSON lines otherwise", false),
            new Setting("HERALD_CAMPAIGN_WINDOW", "2000", "recipients of one campaign on the commands topic and not yet ended, at most", false),
            new Setting("HERALD_CAMPAIGN_REFRESH_S", "900", "how often an active campaign's message is refreshed for referral counts (0: never)", false),
            new Setting("HERALD_CAMPAIGN_TRACKING_H", "168", "hours after its start a campaign's referrals are refreshed", false));

    public HeraldConfig {
        require(topicPartitions >= 1, "HERALD_TOPIC_PARTITIONS", "must be at least 1");
        require(maxInFlight >= 1, "HERALD_MAX_IN_FLIGHT", "must be at least 1");
        require(maxAttempts >= 1, "HERALD_MAX_ATTEMPTS", "must be at least 1");
        require(!retryBackoff.isNegative() && !retryBackoff.isZero(), "HERALD_RETRY_BACKOFF_MS", "must be positive");
        require(retryMaxBackoff.compareTo(retryBackoff) >= 0, "HERALD_RETRY_MAX_BACKOFF_MS",
                "must not be smaller than HERALD_RETRY_BACKOFF_MS");
        require(oneallTimeout.compareTo(MIN_ONEALL_TIMEOUT) >= 0, "HERALD_ONEALL_TIMEOUT_MS", "must be at least 15000");
        require(httpPort >= 0 && httpPort <= 65535, "HERALD_HTTP_PORT", "must be a port number");
        require(oneallApiUrl.isEmpty() || !oneallPublicKey.isEmpty(), "ONEALL_PUBLIC_KEY", "is required with ONEALL_API_URL");
        require(oneallApiUrl.isEmpty() || !oneallPrivateKey.isEmpty(), "ONEALL_PRIVATE_KEY", "is required with ONEALL_API_URL");
    }

    public static HeraldConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static HeraldConfig from(Map<String, String> env) {
        var reader = new Reader(env);
        return new HeraldConfig(
                reader.optional("KAFKA_BOOTSTRAP_SERVERS"),
                reader.optional("HERALD_DATABASE_URL").map(url -> reader.check("HERALD_DATABASE_URL", url,
                        u -> u.startsWith("jdbc:postgresql:"), "must be a jdbc:postgresql: URL")),
                reader.string("HERALD_DATABASE_USER", "postgres"),
                new Secret(reader.string("HERALD_DATABASE_PASSWORD", "")),
                reader.optional("ONEALL_API_URL").map(url -> reader.parse("ONEALL_API_URL", url, HeraldConfig::httpUri)),
                reader.string("ONEALL_PUBLIC_KEY", ""),
                new Secret(reader.string("ONEALL_PRIVATE_KEY", "")),
                reader.string("HERALD_TOPIC_COMMANDS", "herald.commands"),
                reader.string("HERALD_TOPIC_DLT", "herald.commands.dlt"),
                reader.string("HERALD_TOPIC_OUTCOMES", "herald.outcomes"),
                reader.integer("HERALD_TOPIC_PARTITIONS", 12),
                reader.string("HERALD_CONSUMER_GROUP", "herald"),
                reader.integer("HERALD_MAX_IN_FLIGHT", 1000),
                reader.integer("HERALD_MAX_ATTEMPTS", 8),
                Duration.ofMillis(reader.integer("HERALD_RETRY_BACKOFF_MS", 1000)),
                Duration.ofMillis(reader.integer("HERALD_RETRY_MAX_BACKOFF_MS", 300_000)),
                Duration.ofMillis(reader.integer("HERALD_ONEALL_TIMEOUT_MS", 30_000)),
                reader.parse("HERALD_ON_UNKNOWN_OUTCOME", reader.string("HERALD_ON_UNKNOWN_OUTCOME", "dead-letter"),
                        UnknownOutcomePolicy::parse),
                reader.integer("HERALD_HTTP_PORT", 8080),
                reader.parse("HERALD_MIGRATE_AT_START", reader.string("HERALD_MIGRATE_AT_START", "true"),
                        HeraldConfig::bool),
                reader.check("HERALD_LOG_FORMAT", reader.string("HERALD_LOG_FORMAT", "auto"),
                        f -> f.equals("auto") || f.equals("json") || f.equals("text"), "must be auto, json or text"),
                new CampaignSettings(reader.integer("HERALD_CAMPAIGN_WINDOW", 2000),
                        Duration.ofSeconds(reader.integer("HERALD_CAMPAIGN_REFRESH_S", 900)),
                        Duration.ofHours(reader.integer("HERALD_CAMPAIGN_TRACKING_H", 168))));
    }

    /** The effective values, secrets masked, for the start-up log. */
    public Map<String, String> effectiveValues() {
        var values = new LinkedHashMap<String, String>();
        values.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers.orElse("(embedded)"));
        values.put("HERALD_DATABASE_URL", databaseUrl.orElse("(embedded)"));
        values.put("HERALD_DATABASE_USER", databaseUser);
        values.put("HERALD_DATABASE_PASSWORD", databasePassword.toString());
        values.put("ONEALL_API_URL", oneallApiUrl.map(URI::toString).orElse("(sandbox)"));
        values.put("ONEALL_PUBLIC_KEY", oneallPublicKey.isEmpty() ? "(sandbox)" : oneallPublicKey);
        values.put("ONEALL_PRIVATE_KEY", oneallPrivateKey.toString());
        values.put("HERALD_TOPIC_COMMANDS", commandsTopic);
        values.put("HERALD_TOPIC_DLT", deadLetterTopic);
        values.put("HERALD_TOPIC_OUTCOMES", outcomesTopic);
        values.put("HERALD_TOPIC_PARTITIONS", Integer.toString(topicPartitions));
        values.put("HERALD_CONSUMER_GROUP", consumerGroup);
        values.put("HERALD_MAX_IN_FLIGHT", Integer.toString(maxInFlight));
        values.put("HERALD_MAX_ATTEMPTS", Integer.toString(maxAttempts));
        values.put("HERALD_RETRY_BACKOFF_MS", Long.toString(retryBackoff.toMillis()));
        values.put("HERALD_RETRY_MAX_BACKOFF_MS", Long.toString(retryMaxBackoff.toMillis()));
        values.put("HERALD_ONEALL_TIMEOUT_MS", Long.toString(oneallTimeout.toMillis()));
        values.put("HERALD_ON_UNKNOWN_OUTCOME", onUnknownOutcome.word());
        values.put("HERALD_HTTP_PORT", Integer.toString(httpPort));
        values.put("HERALD_MIGRATE_AT_START", Boolean.toString(migrateAtStart));
        values.put("HERALD_LOG_FORMAT", logFormat);
        values.put("HERALD_CAMPAIGN_WINDOW", Integer.toString(campaigns.window()));
        values.put("HERALD_CAMPAIGN_REFRESH_S", Long.toString(campaigns.refreshInterval().toSeconds()));
        values.put("HERALD_CAMPAIGN_TRACKING_H", Long.toString(campaigns.trackingPeriod().toHours()));
        return values;
    }

    /**
     * This configuration, when it names Kafka, PostgreSQL and OneAll; otherwise a {@link ConfigException} that names
     * every missing variable. A worker never stands in an embedded broker, a throw-away database or the sandbox for
     * a variable that is missing: that is dev mode's job ({@code herald-dev.jar dev}), and it is asked for by name.
     */
    public HeraldConfig requireConnections() {
        var missing = new java.util.ArrayList<String>();
        if (kafkaBootstrapServers.isEmpty()) {
            missing.add("KAFKA_BOOTSTRAP_SERVERS");
        }
        if (databaseUrl.isEmpty()) {
            missing.add("HERALD_DATABASE_URL");
        }
        if (oneallApiUrl.isEmpty()) {
            missing.add("ONEALL_API_URL");
        }
        if (oneallPublicKey.isEmpty()) {
            missing.add("ONEALL_PUBLIC_KEY");
        }
        if (oneallPrivateKey.isEmpty()) {
            missing.add("ONEALL_PRIVATE_KEY");
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("missing configuration: " + String.join(", ", missing)
                    + " (a worker needs Kafka, PostgreSQL and OneAll; for dev mode on embedded ones run herald-dev.jar dev)");
        }
        return this;
    }

    private static void require(boolean condition, String variable, String problem) {
        if (!condition) {
            throw new ConfigException(variable + " " + problem);
        }
    }

    private static URI httpUri(String value) {
        var uri = URI.create(value);
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected an http(s) URL such as https://mysite.api.oneall.com");
        }
        return uri;
    }

    private static boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private record Reader(Map<String, String> env) {
        Optional<String> optional(String variable) {
            return Optional.ofNullable(env.get(variable)).map(String::trim).filter(v -> !v.isEmpty());
        }

        String string(String variable, String defaultValue) {
            return optional(variable).orElse(defaultValue);
        }

        int integer(String variable, int defaultValue) {
            return optional(variable).map(v -> parse(variable, v, Integer::parseInt)).orElse(defaultValue);
        }

        <T> T parse(String variable, String value, Function<String, T> parser) {
            try {
                return parser.apply(value);
            } catch (RuntimeException e) {
                throw new ConfigException(variable + " has an invalid value '" + value + "': "
                        + (e instanceof NumberFormatException ? "expected a whole number" : e.getMessage()));
            }
        }

        String check(String variable, String value, java.util.function.Predicate<String> rule, String problem) {
            if (!rule.test(value)) {
                throw new ConfigException(variable + " " + problem);
            }
            return value;
        }
    }
}
