package io.herald.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from embedded binaries (zonky), run by a child JVM ({@link PostgresMain})
 * on a loopback port with its data in a directory of its own. It can be stopped and started again on
 * the same port and data, as a database outage would.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String USER = "postgres";

    private final Path directory;
    private final int port;
    private Process process;

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

    /** Stops the server (a clean shutdown); {@link #restart()} brings it back. */
    public void stop() {
        if (process == null) {
            return;
        }
        ChildJvm.stop(process, Duration.ofSeconds(30));
        process = null;
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
            process = new ProcessBuilder(ChildJvm.command(
                            "128m",
                            PostgresMain.class.getName(),
                            directory.resolve("data").toString(),
                            Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("postgres.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start the embedded PostgreSQL; see " + directory.resolve("postgres.log"), e);
        }
        awaitReady();
        log.info("PostgreSQL ready at {} in {} ms", jdbcUrl(), (System.nanoTime() - started) / 1_000_000);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the embedded PostgreSQL exited with " + process.exitValue() + "; see "
                        + directory.resolve("postgres.log"));
            }
            try (var connection = DriverManager.getConnection(jdbcUrl(), USER, "")) {
                if (connection.isValid(2)) {
                    return;
                }
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
            }
        }
        throw new IllegalStateException(
                "the embedded PostgreSQL did not accept connections within 90 s; see "
                        + directory.resolve("postgres.log"),
                last);
    }

    /** PostgreSQL's postmaster while it runs (its backends are its children), read from its data directory's pid file. */
    public java.util.Optional<ProcessHandle> processHandle() {
        try {
            var pid = java.nio.file.Files.readAllLines(directory.resolve("data").resolve("postmaster.pid"))
                    .get(0)
                    .trim();
            return ProcessHandle.of(Long.parseLong(pid));
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
