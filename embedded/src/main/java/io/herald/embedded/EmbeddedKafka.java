package io.herald.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker of Apache Kafka, run from Kafka's own classes in a child JVM.
 *
 * <p>A child process rather than an in-process server so that the broker can be killed and
 * restarted like a real one, and so that its threads and heap do not blur the worker's figures.
 * It listens on loopback ports chosen at start and keeps its log in a directory of its own.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final int brokerPort;
    private final int controllerPort;
    private final Listener listener;
    private final int listenerPort;
    private Process process;

    /**
     * A listener beside the plain one, as a company's brokers have (TLS, SASL): its {@code name}, its security
     * {@code protocol} ({@code SASL_SSL}, {@code SSL}, ...), and the broker's properties it needs, given with their
     * {@code listener.name.<name>.} prefix or as broker-wide ones. The plain listener stays for the broker's own
     * traffic and for a test's set-up (creating users, reading what a worker wrote).
     */
    public record Listener(String name, String protocol, Map<String, String> properties) {}

    private EmbeddedKafka(Path directory, int brokerPort, int controllerPort, Listener listener, int listenerPort) {
        this.directory = directory;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.listener = listener;
        this.listenerPort = listenerPort;
    }

    /** Formats a new log directory under {@code directory} and starts the broker on free ports. */
    public static EmbeddedKafka start(Path directory) {
        return start(directory, null);
    }

    /** The same with {@code listener} beside the plain one (null: none), on a free port of its own. */
    public static EmbeddedKafka start(Path directory, Listener listener) {
        var kafka = new EmbeddedKafka(
                directory, FreePorts.find(), FreePorts.find(), listener, listener == null ? -1 : FreePorts.find());
        kafka.format();
        kafka.startBroker();
        return kafka;
    }

    /** The plain listener. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The listener given at start. */
    public String listenerBootstrapServers() {
        if (listener == null) {
            throw new IllegalStateException("this broker was started without a listener of its own");
        }
        return "127.0.0.1:" + listenerPort;
    }

    /** Stops the broker cleanly (SIGTERM) and starts it again on the same ports and data. */
    public void restart() {
        stop();
        startBroker();
    }

    /** Stops the broker with SIGTERM and waits for it to exit; {@link #restart()} brings it back. */
    public void stop() {
        if (process == null) {
            return;
        }
        ChildJvm.stop(process, Duration.ofSeconds(30));
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void format() {
        try {
            Files.createDirectories(directory);
            Files.writeString(propertiesFile(), serverProperties(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka directory " + directory, e);
        }
        var formatter = javaCommand(
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                "--config",
                propertiesFile().toString(),
                "--ignore-formatted");
        int exit = run(formatter, directory.resolve("format.log"));
        if (exit != 0) {
            throw new IllegalStateException("formatting the Kafka log directory failed (exit " + exit + "); see "
                    + directory.resolve("format.log"));
        }
    }

    private void startBroker() {
        long started = System.nanoTime();
        var command = javaCommand("kafka.Kafka", propertiesFile().toString());
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("broker.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker", e);
        }
        awaitReady();
        log.info(
                "Kafka broker ready at {} in {} ms (log: {})",
                bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000,
                directory.resolve("broker.log"));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        awaitPortOpen(deadline);
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        try (var admin = Admin.create(config)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "; see "
                            + directory.resolve("broker.log"));
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka broker did not start within " + START_TIMEOUT + "; see "
                            + directory.resolve("broker.log"));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    /** Waits for the listener before an admin client connects, so that it logs no connection failures. */
    private void awaitPortOpen(long deadline) {
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (var socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", brokerPort), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Path propertiesFile() {
        return directory.resolve("server.properties");
    }

    private String serverProperties() {
        var extra = listener == null ? "" : "," + listener.name() + "://127.0.0.1:" + listenerPort;
        var lines = new java.util.ArrayList<String>();
        if (listener != null) {
            listener.properties().forEach((name, value) -> lines.add(name + "=" + value));
        }
        return String.join("\n", lines) + "\n"
                + String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                                + extra,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort + extra,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                                + (listener == null ? "" : "," + listener.name() + ":" + listener.protocol()),
                        "log.dirs=" + directory.resolve("data"),
                        "num.partitions=1",
                        "auto.create.topics.enable=false",
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=4",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "group.consumer.min.session.timeout.ms=6000",
                        "group.consumer.session.timeout.ms=10000",
                        "group.consumer.heartbeat.interval.ms=1000",
                        "group.consumer.min.heartbeat.interval.ms=500",
                        "log.retention.hours=24",
                        "");
    }

    private static List<String> javaCommand(String mainClass, String... args) {
        return ChildJvm.command("768m", mainClass, args);
    }

    private static int run(List<String> command, Path logFile) {
        try {
            var child = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                return -1;
            }
            return child.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(command.size() - 1), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The server's process while it runs (its own children, PostgreSQL's backends say, are its descendants). */
    public java.util.Optional<ProcessHandle> processHandle() {
        return java.util.Optional.ofNullable(process).map(Process::toHandle);
    }
}
