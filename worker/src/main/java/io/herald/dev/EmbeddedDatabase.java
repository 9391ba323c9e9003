package io.herald.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from embedded binaries (zonky), on a loopback port, with its data in a
 * directory of its own. It can be stopped and started again on the same port and data, as a
 * database outage would.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String USER = "postgres";

    private final Path directory;
    private final int port;
    private EmbeddedPostgres postgres;

    private EmbeddedDatabase(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    public static EmbeddedDatabase start(Path directory) {
        var database = new EmbeddedDatabase(directory, FreePorts.find());
        database.startServer();
        return database;
    }

    /** The JDBC URL of database {@code name} on this server. */
    public String jdbcUrl(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public int port() {
        return port;
    }

    /** Creates a database and returns its JDBC URL; tests take one each so that they are independent. */
    public String createDatabase(String name) {
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return jdbcUrl(name);
    }

    public void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL", e);
        }
        postgres = null;
    }

    /** Starts the server again on the same port and data after {@link #stop()}. */
    public void restart() {
        stop();
        startServer();
    }

    @Override
    public void close() {
        stop();
    }

    private void startServer() {
        long started = System.nanoTime();
        try {
            DevDirectories.createReadable(directory);
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(directory.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "300")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(directory.resolve("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(directory.resolve("postgres.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL; see " + directory.resolve("postgres.log"), e);
        }
        log.info("PostgreSQL ready at {} in {} ms", jdbcUrl(), (System.nanoTime() - started) / 1_000_000);
    }
}
