package io.herald.config;

import static io.herald.config.SettingKinds.atLeast;
import static io.herald.config.SettingKinds.bool;
import static io.herald.config.SettingKinds.hours;
import static io.herald.config.SettingKinds.millis;
import static io.herald.config.SettingKinds.number;
import static io.herald.config.SettingKinds.oneOf;
import static io.herald.config.SettingKinds.required;
import static io.herald.config.SettingKinds.seconds;
import static io.herald.config.SettingKinds.text;

import io.herald.config.Setting.Need;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** Every setting Herald reads, in the order the configuration table of docs/configuration.md lists them. */
public final class Settings {
    private Settings() {}

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = required(
            "KAFKA_BOOTSTRAP_SERVERS",
            "Kafka brokers, e.g. kafka-1:9092,kafka-2:9092",
            Need.KAFKA,
            Function.identity());
    public static final Setting<String> TOPIC_COMMANDS =
            text("HERALD_TOPIC_COMMANDS", "herald.commands", "commands topic");
    public static final Setting<String> TOPIC_DLT =
            text("HERALD_TOPIC_DLT", "herald.commands.dlt", "dead-letter topic");
    public static final Setting<String> TOPIC_OUTCOMES =
            text("HERALD_TOPIC_OUTCOMES", "herald.outcomes", "outcome events topic");
    public static final Setting<Integer> TOPIC_PARTITIONS = number(
            "HERALD_TOPIC_PARTITIONS",
            12,
            1,
            10_000,
            "partitions of the topics a worker creates when they are missing");
    public static final Setting<String> CONSUMER_GROUP =
            text("HERALD_CONSUMER_GROUP", "herald", "Kafka consumer group of the workers");
    public static final Setting<String> KAFKA_CONFIG_FILE = new Setting<>(
            "HERALD_KAFKA_CONFIG_FILE",
            "",
            "(none)",
            Function.identity(),
            false,
            "a Kafka client properties file (security, SASL, TLS), as Kafka's tools take with --command-config;"
                    + " KAFKA_ variables override it (see below)",
            Need.NONE);

    public static final Setting<String> DATABASE_URL = required(
            "HERALD_DATABASE_URL",
            "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/herald",
            Need.DATABASE,
            SettingKinds::jdbcUrl);
    public static final Setting<String> DATABASE_USER = text("HERALD_DATABASE_USER", "postgres", "database user");
    public static final Setting<Secret> DATABASE_PASSWORD = new Setting<>(
            "HERALD_DATABASE_PASSWORD", new Secret(""), "(empty)", Secret::new, true, "database password", Need.NONE);
    public static final Setting<Integer> DATABASE_POOL_SIZE = number(
            "HERALD_DATABASE_POOL_SIZE",
            6,
            3,
            100,
            "connections a worker keeps to PostgreSQL (the ledger writer, the outbox relay, assignments and housekeeping)");
    public static final Setting<Duration> DATABASE_STATEMENT_TIMEOUT = millis(
            "HERALD_DATABASE_STATEMENT_TIMEOUT_MS",
            30_000,
            1_000,
            "how long one statement may run before PostgreSQL cancels it (the socket timeout is twice that)");
    public static final Setting<Duration> DATABASE_LOCK_TIMEOUT = millis(
            "HERALD_DATABASE_LOCK_TIMEOUT_MS",
            10_000,
            100,
            "how long a statement may wait for a lock (a partition's fence, a row) before PostgreSQL cancels it and the work is tried again");
    public static final Setting<Duration> DATABASE_IDLE_IN_TRANSACTION_TIMEOUT = millis(
            "HERALD_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS",
            10_000,
            1_000,
            "how long a session may sit in an open transaction without a statement before PostgreSQL ends it and releases its locks (a worker cut off or dead)");
    public static final Setting<Boolean> MIGRATE_AT_START =
            bool("HERALD_MIGRATE_AT_START", true, "apply database migrations when a worker starts");

    public static final Setting<URI> ONEALL_API_URL = required(
            "ONEALL_API_URL",
            "the OneAll site, e.g. https://mysite.api.oneall.com",
            Need.ONEALL,
            SettingKinds::httpUri);
    public static final Setting<String> ONEALL_PUBLIC_KEY =
            required("ONEALL_PUBLIC_KEY", "the site's public key", Need.ONEALL, Function.identity());
    public static final Setting<Secret> ONEALL_PRIVATE_KEY = new Setting<>(
            "ONEALL_PRIVATE_KEY", null, "(required)", Secret::new, true, "the site's private key", Need.ONEALL);
    public static final Setting<Duration> ONEALL_TIMEOUT = millis(
            "HERALD_ONEALL_TIMEOUT_MS",
            30_000,
            15_000,
            "how long a OneAll call may take before its outcome counts as unknown (at least 15000)");
    public static final Setting<Integer> MAX_IN_FLIGHT =
            number("HERALD_MAX_IN_FLIGHT", 1000, 1, 100_000, "concurrent OneAll calls per worker");
    public static final Setting<Integer> MAX_BUFFERED_MB = number(
            "HERALD_MAX_BUFFERED_MB",
            128,
            8,
            65_536,
            "records a worker holds (waiting, scheduled, running, drained from the ledger), in MiB counted as three times"
                    + " their serialized size (the bytes and their parsed form); a partition whose next record would pass"
                    + " it pauses there, and past it consumption pauses; the consumer's `fetch.max.bytes` follows it"
                    + " (see below)");
    public static final Setting<Integer> ONEALL_MAX_CONNECTIONS = number(
            "HERALD_ONEALL_MAX_CONNECTIONS",
            500,
            1,
            10_000,
            "connections to OneAll's host per worker, each carrying one call at a time and kept for the next");
    public static final Setting<Integer> ONEALL_CONNECT_RATE = number(
            "HERALD_ONEALL_CONNECT_RATE",
            100,
            1,
            10_000,
            "new connections to OneAll's host a worker opens per second at most, one after the other");
    public static final Setting<RateLimits> RATE_LIMITS = new Setting<>(
            "HERALD_RATE_LIMITS",
            RateLimits.NONE,
            "(none)",
            RateLimits::parse,
            false,
            "fixed caps of calls per second by provider, e.g. twitter=100,facebook=50 (429s lower them further)",
            Need.NONE);

    public static final Setting<Integer> MAX_ATTEMPTS =
            number("HERALD_MAX_ATTEMPTS", 8, 1, 1000, "calls for one command before it is dead-lettered as exhausted");
    public static final Setting<Duration> RETRY_BACKOFF =
            millis("HERALD_RETRY_BACKOFF_MS", 1000, 1, "first retry delay");
    public static final Setting<Duration> RETRY_MAX_BACKOFF =
            millis("HERALD_RETRY_MAX_BACKOFF_MS", 300_000, 1, "cap of the exponential retry delay");
    public static final Setting<Duration> RETRY_AFTER_MAX = seconds(
            "HERALD_RETRY_AFTER_MAX_S", 3600, "longest Retry-After a command honours; a longer one is cut to this");
    public static final Setting<io.herald.command.UnknownOutcomePolicy> ON_UNKNOWN_OUTCOME = new Setting<>(
            "HERALD_ON_UNKNOWN_OUTCOME",
            io.herald.command.UnknownOutcomePolicy.DEAD_LETTER,
            "dead-letter",
            io.herald.command.UnknownOutcomePolicy::parse,
            false,
            "dead-letter or retry: what to do with a call that may have reached OneAll and cannot be read back",
            Need.NONE);
    public static final Setting<Duration> IDENTITY_HOLD = seconds(
            "HERALD_IDENTITY_HOLD_S",
            86_400,
            "how long the commands of an identity whose credentials OneAll refused wait before they are dead-lettered");
    public static final Setting<Duration> ORPHAN_AFTER = new Setting<>(
            "HERALD_ORPHAN_AFTER_S",
            Duration.ofSeconds(600),
            "600",
            value -> Duration.ofSeconds(atLeast("HERALD_ORPHAN_AFTER_S", Long.parseLong(value), 1)),
            false,
            "how long a command may be left pending with nothing to bring it back (a replay that died before its record"
                    + " was sent, a campaign part that fanned out and did not end) before a worker brings it back",
            Need.NONE);

    public static final Setting<Integer> CAMPAIGN_WINDOW = number(
            "HERALD_CAMPAIGN_WINDOW",
            2000,
            1,
            1_000_000,
            "recipients of one campaign on the commands topic and not yet ended, at most");
    public static final Setting<Duration> CAMPAIGN_REFRESH = seconds(
            "HERALD_CAMPAIGN_REFRESH_S",
            900,
            "how often an active campaign's message is refreshed for referral counts (0: never)");
    public static final Setting<Duration> CAMPAIGN_TRACKING = new Setting<>(
            "HERALD_CAMPAIGN_TRACKING_H",
            Duration.ofHours(168),
            "168",
            value -> Duration.ofHours(atLeast("HERALD_CAMPAIGN_TRACKING_H", Integer.parseInt(value), 0)),
            false,
            "hours after its start a campaign's referrals are refreshed",
            Need.NONE);

    public static final Setting<Duration> RETENTION_COMMANDS = hours(
            "HERALD_RETENTION_COMMANDS_H",
            720,
            "hours an ended command (its attempts and result) stays in the ledger after it ended (0: kept for ever);"
                    + " must exceed the commands topic's retention.ms plus segment.ms: an id older is accepted again");
    public static final Setting<Duration> RETENTION_DEAD_LETTERS = hours(
            "HERALD_RETENTION_DEAD_LETTERS_H",
            2160,
            "hours a dead letter stays after it failed, was replayed or was superseded, whichever is last (0: kept for ever)");
    public static final Setting<Duration> RETENTION_REFERRAL_SAMPLES = hours(
            "HERALD_RETENTION_REFERRAL_SAMPLES_H",
            2160,
            "hours a referral sample stays after it was taken (0: kept for ever); short_urls keeps the latest count");
    public static final Setting<Duration> RETENTION_INTERVAL = seconds(
            "HERALD_RETENTION_INTERVAL_S",
            300,
            "how often a worker prunes what is past its retention, one worker at a time (0: this worker never prunes)");

    public static final Setting<Integer> HTTP_PORT =
            number("HERALD_HTTP_PORT", 8080, 0, 65_535, "health and metrics port (0: any free port)");
    public static final Setting<String> LOG_FORMAT = new Setting<>(
            "HERALD_LOG_FORMAT",
            "auto",
            "auto",
            value -> oneOf(value, "auto", "json", "text"),
            false,
            "json, text, or auto: text on a terminal, JSON lines otherwise",
            Need.NONE);
    public static final Setting<Secret> CONSOLE_TOKEN = new Setting<>(
            "HERALD_CONSOLE_TOKEN",
            new Secret(""),
            "(empty)",
            Secret::new,
            true,
            "the operator token the console asks for before it changes anything (empty: the console is read-only)",
            Need.NONE);

    /** All of them, in the documented order. */
    public static final List<Setting<?>> ALL = List.of(
            KAFKA_BOOTSTRAP_SERVERS,
            TOPIC_COMMANDS,
            TOPIC_DLT,
            TOPIC_OUTCOMES,
            TOPIC_PARTITIONS,
            CONSUMER_GROUP,
            KAFKA_CONFIG_FILE,
            DATABASE_URL,
            DATABASE_USER,
            DATABASE_PASSWORD,
            DATABASE_POOL_SIZE,
            DATABASE_STATEMENT_TIMEOUT,
            DATABASE_LOCK_TIMEOUT,
            DATABASE_IDLE_IN_TRANSACTION_TIMEOUT,
            MIGRATE_AT_START,
            ONEALL_API_URL,
            ONEALL_PUBLIC_KEY,
            ONEALL_PRIVATE_KEY,
            ONEALL_TIMEOUT,
            MAX_IN_FLIGHT,
            MAX_BUFFERED_MB,
            ONEALL_MAX_CONNECTIONS,
            ONEALL_CONNECT_RATE,
            RATE_LIMITS,
            MAX_ATTEMPTS,
            RETRY_BACKOFF,
            RETRY_MAX_BACKOFF,
            RETRY_AFTER_MAX,
            ON_UNKNOWN_OUTCOME,
            IDENTITY_HOLD,
            ORPHAN_AFTER,
            CAMPAIGN_WINDOW,
            CAMPAIGN_REFRESH,
            CAMPAIGN_TRACKING,
            RETENTION_COMMANDS,
            RETENTION_DEAD_LETTERS,
            RETENTION_REFERRAL_SAMPLES,
            RETENTION_INTERVAL,
            HTTP_PORT,
            LOG_FORMAT,
            CONSOLE_TOKEN);
}
