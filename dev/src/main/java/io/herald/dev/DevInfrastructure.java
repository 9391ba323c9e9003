package io.herald.dev;

import io.herald.config.HeraldConfig;
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

    /** Starts what {@code config} leaves unset, in a new temporary directory, and returns the configuration that points at it. */
    public static DevInfrastructure startFor(HeraldConfig config) {
        return startFor(config, null);
    }

    /** Starts what {@code config} leaves unset, its data under {@code directory} (null: a new temporary one). */
    public static DevInfrastructure startFor(HeraldConfig config, Path runDirectory) {
        var dev = new DevInfrastructure(config);
        if (!dev.missingKafka() && !dev.missingDatabase() && !dev.missingOneAll()) {
            return dev;
        }
        Path directory = runDirectory != null ? runDirectory : DevDirectories.newRunDirectory("herald-dev-");
        log.warn("DEV MODE: {} -- not for production; data under {}", dev.describe(), directory);
        try {
            if (dev.missingKafka()) {
                dev.kafka = dev.track(EmbeddedKafka.start(directory.resolve("kafka")));
            }
            if (dev.missingDatabase()) {
                dev.database = dev.track(EmbeddedDatabase.start(directory.resolve("postgres")));
            }
            if (dev.missingOneAll()) {
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
        var overrides = new java.util.HashMap<String, String>();
        if (kafka != null) {
            overrides.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        }
        if (database != null) {
            overrides.put("HERALD_DATABASE_URL", database.jdbcUrl());
            overrides.put("HERALD_DATABASE_USER", EmbeddedDatabase.USER);
            overrides.put("HERALD_DATABASE_PASSWORD", "");
        }
        if (sandbox != null) {
            overrides.put("ONEALL_API_URL", sandbox.baseUri().toString());
            overrides.put("ONEALL_PUBLIC_KEY", sandbox.publicKey());
            overrides.put("ONEALL_PRIVATE_KEY", sandbox.privateKey());
        }
        return config.with(overrides);
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
        if (missingKafka()) {
            parts.add("embedded Kafka (KAFKA_BOOTSTRAP_SERVERS unset)");
        }
        if (missingDatabase()) {
            parts.add("embedded PostgreSQL (HERALD_DATABASE_URL unset)");
        }
        if (missingOneAll()) {
            parts.add("OneAll sandbox, no real posts (ONEALL_API_URL unset)");
        }
        return String.join(", ", parts);
    }

    private boolean missingKafka() {
        return config.kafka().bootstrapServers() == null;
    }

    private boolean missingDatabase() {
        return config.database().url() == null;
    }

    private boolean missingOneAll() {
        return config.oneall().apiUrl() == null;
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
