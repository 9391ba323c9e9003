package io.herald.dev;

import io.herald.config.HeraldConfig;
import io.herald.config.Secret;
import io.herald.embedded.DevDirectories;
import io.herald.embedded.EmbeddedDatabase;
import io.herald.embedded.EmbeddedKafka;
import io.herald.sandbox.OneAllSandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What dev mode starts for the parts the configuration leaves unset: the embedded Kafka broker, the
 * embedded PostgreSQL and the OneAll sandbox. It says so loudly, and stops them on close.
 */
public final class DevInfrastructure implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DevInfrastructure.class);

    private final List<AutoCloseable> started = new ArrayList<>();
    private final HeraldConfig config;
    private EmbeddedKafka kafka;
    private EmbeddedDatabase database;
    private OneAllSandbox sandbox;

    private DevInfrastructure(HeraldConfig config) {
        this.config = config;
    }

    /** Starts what {@code config} leaves unset and returns the configuration that points at it. */
    public static DevInfrastructure startFor(HeraldConfig config) {
        var dev = new DevInfrastructure(config);
        if (config.kafkaBootstrapServers().isPresent() && config.databaseUrl().isPresent() && config.oneallApiUrl().isPresent()) {
            return dev;
        }
        Path directory = DevDirectories.newRunDirectory("herald-dev-");
        log.warn("DEV MODE: {} -- not for production; data under {}", dev.describe(), directory);
        try {
            if (config.kafkaBootstrapServers().isEmpty()) {
                dev.kafka = dev.track(EmbeddedKafka.start(directory.resolve("kafka")));
            }
            if (config.databaseUrl().isEmpty()) {
                dev.database = dev.track(EmbeddedDatabase.start(directory.resolve("postgres")));
            }
            if (config.oneallApiUrl().isEmpty()) {
                dev.sandbox = dev.track(OneAllSandbox.start());
            }
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
        return dev;
    }

    /** The configuration with the embedded parts filled in. */
    public HeraldConfig effectiveConfig() {
        var c = config;
        return new HeraldConfig(
                kafka != null ? java.util.Optional.of(kafka.bootstrapServers()) : c.kafkaBootstrapServers(),
                database != null ? java.util.Optional.of(database.jdbcUrl()) : c.databaseUrl(),
                database != null ? EmbeddedDatabase.USER : c.databaseUser(),
                database != null ? new Secret("") : c.databasePassword(),
                sandbox != null ? java.util.Optional.of(sandbox.baseUri()) : c.oneallApiUrl(),
                sandbox != null ? sandbox.publicKey() : c.oneallPublicKey(),
                sandbox != null ? new Secret(sandbox.privateKey()) : c.oneallPrivateKey(),
                c.commandsTopic(), c.deadLetterTopic(), c.outcomesTopic(), c.topicPartitions(), c.consumerGroup(),
                c.maxInFlight(), c.maxAttempts(), c.retryBackoff(), c.retryMaxBackoff(), c.oneallTimeout(),
                c.onUnknownOutcome(), c.httpPort(), c.migrateAtStart(), c.logFormat(), c.campaigns());
    }

    /** Whether anything was started: the worker runs in dev mode. */
    public boolean active() {
        return !started.isEmpty();
    }

    public java.util.Optional<OneAllSandbox> sandbox() {
        return java.util.Optional.ofNullable(sandbox);
    }



    private String describe() {
        var parts = new ArrayList<String>();
        if (config.kafkaBootstrapServers().isEmpty()) {
            parts.add("embedded Kafka (KAFKA_BOOTSTRAP_SERVERS unset)");
        }
        if (config.databaseUrl().isEmpty()) {
            parts.add("embedded PostgreSQL (HERALD_DATABASE_URL unset)");
        }
        if (config.oneallApiUrl().isEmpty()) {
            parts.add("OneAll sandbox, no real posts (ONEALL_API_URL unset)");
        }
        return String.join(", ", parts);
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("could not stop {}", started.get(i).getClass().getSimpleName(), e);
            }
        }
        started.clear();
    }
}
