package io.herald.testing;

import io.herald.config.Secret;
import io.herald.embedded.DevDirectories;
import io.herald.embedded.EmbeddedDatabase;
import io.herald.embedded.EmbeddedKafka;
import io.herald.store.jdbc.Migrations;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one broker and one database server of a test JVM, shared by all integration tests, which take
 * a random topic and a database of their own from them.
 *
 * <p>Which infrastructure: {@code HERALD_DATABASE_URL} when set (with {@code HERALD_DATABASE_USER}
 * and {@code HERALD_DATABASE_PASSWORD}); otherwise Testcontainers when a Docker daemon is reachable;
 * otherwise the embedded Kafka broker and PostgreSQL of dev mode. {@code HERALD_TEST_INFRASTRUCTURE}
 * ({@code embedded} or {@code containers}) forces the choice.
 */
public final class TestInfrastructure {
    private static volatile TestInfrastructure instance;

    private final String bootstrapServers;
    private final String serverUrl;
    private final String user;
    private final Secret password;
    private final EmbeddedKafka embeddedKafka;
    private final EmbeddedDatabase embeddedDatabase;
    private final String description;

    private TestInfrastructure() {
        long started = System.nanoTime();
        var forced = System.getenv().getOrDefault("HERALD_TEST_INFRASTRUCTURE", "");
        boolean containers = forced.equals("containers") || (forced.isEmpty() && dockerAvailable());
        var externalUrl = System.getenv("HERALD_DATABASE_URL");
        if (containers) {
            var kafka = new KafkaContainer("apache/kafka:4.1.0");
            kafka.start();
            bootstrapServers = kafka.getBootstrapServers();
            embeddedKafka = null;
        } else {
            embeddedKafka = EmbeddedKafka.start(DevDirectories.newRunDirectory("herald-test-kafka-"));
            bootstrapServers = embeddedKafka.bootstrapServers();
        }
        long kafkaMillis = (System.nanoTime() - started) / 1_000_000;
        if (externalUrl != null && !externalUrl.isBlank()) {
            serverUrl = externalUrl;
            user = System.getenv().getOrDefault("HERALD_DATABASE_USER", "postgres");
            password = new Secret(System.getenv().getOrDefault("HERALD_DATABASE_PASSWORD", ""));
            embeddedDatabase = null;
        } else if (containers) {
            var postgres = new PostgreSQLContainer<>("postgres:17");
            postgres.start();
            serverUrl = postgres.getJdbcUrl();
            user = postgres.getUsername();
            password = new Secret(postgres.getPassword());
            embeddedDatabase = null;
        } else {
            embeddedDatabase = EmbeddedDatabase.start(DevDirectories.newRunDirectory("herald-test-postgres-"));
            serverUrl = embeddedDatabase.jdbcUrl();
            user = EmbeddedDatabase.USER;
            password = new Secret("");
        }
        long totalMillis = (System.nanoTime() - started) / 1_000_000;
        description = (containers ? "Testcontainers" : "embedded") + " Kafka at " + bootstrapServers
                + ", PostgreSQL at " + serverUrl;
        System.out.printf(
                Locale.ROOT,
                "[herald-test] infrastructure: %s; started in %d ms (Kafka %d ms, PostgreSQL %d ms)%n",
                description,
                totalMillis,
                kafkaMillis,
                totalMillis - kafkaMillis);
    }

    public static TestInfrastructure get() {
        if (instance == null) {
            synchronized (TestInfrastructure.class) {
                if (instance == null) {
                    instance = new TestInfrastructure();
                }
            }
        }
        return instance;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The embedded broker, for tests that stop and restart it; empty on other infrastructure. */
    public java.util.Optional<EmbeddedKafka> embeddedKafka() {
        return java.util.Optional.ofNullable(embeddedKafka);
    }

    public java.util.Optional<EmbeddedDatabase> embeddedDatabase() {
        return java.util.Optional.ofNullable(embeddedDatabase);
    }

    public String user() {
        return user;
    }

    public Secret password() {
        return password;
    }

    /** A new, empty database on the shared server; returns its JDBC URL. */
    public String newDatabaseUrl() {
        var name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (var connection = unpooled(serverUrl).getConnection();
                var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + serverUrl, e);
        }
        return withDatabase(serverUrl, name);
    }

    /** A data source without a pool, so that a test's assertions keep no connection open. */
    public DataSource dataSource(String jdbcUrl) {
        return unpooled(jdbcUrl);
    }

    private DataSource unpooled(String jdbcUrl) {
        var dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
        if (!password.isEmpty()) {
            dataSource.setPassword(password.value());
        }
        return dataSource;
    }

    /** A new database with Herald's migrations applied. */
    public DataSource newMigratedDatabase() {
        var dataSource = dataSource(newDatabaseUrl());
        Migrations.apply(dataSource);
        return dataSource;
    }

    public static String randomTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', Math.max(slash, 0));
        var prefix = slash < 0 ? url : url.substring(0, slash);
        return prefix + "/" + database + (query < 0 ? "" : url.substring(query));
    }

    private static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null
                && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
