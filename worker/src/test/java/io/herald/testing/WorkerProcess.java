package io.herald.testing;

import io.herald.embedded.ChildJvm;
import io.herald.embedded.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A worker in a JVM of its own, started from the shaded {@code herald.jar} that {@code package} built
 * (the artifact users run), so that a test can kill it with SIGKILL as a crash would. Its output goes
 * to {@code target/worker-logs/NAME.log}.
 */
public final class WorkerProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target", "herald.jar");
    /** Workers still running: killed when the test JVM exits, so none outlives it (a frozen one would never end). */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "worker-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private WorkerProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code herald run} with {@code environment} and waits until the worker is ready (it has partitions). */
    public static WorkerProcess start(String name, Map<String, String> environment) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR.toAbsolutePath() + " is missing: run the integration tests through `./mvnw verify`");
        }
        try {
            var logs = Files.createDirectories(Path.of("target", "worker-logs"));
            var log = logs.resolve(name + ".log");
            int port = FreePorts.find();
            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var builder = new ProcessBuilder(
                            java,
                            "-Xmx384m",
                            "-XX:+UseSerialGC",
                            "-jar",
                            JAR.toString(),
                            "run",
                            "--drain-seconds",
                            "20")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            builder.environment().put("HERALD_HTTP_PORT", Integer.toString(port));
            builder.environment().put("HERALD_MIGRATE_AT_START", "true");
            var process = builder.start();
            RUNNING.add(process);
            process.onExit().thenRun(() -> RUNNING.remove(process));
            var worker = new WorkerProcess(name, process, port, log);
            worker.awaitReady(Duration.ofSeconds(90));
            return worker;
        } catch (IOException e) {
            throw new IllegalStateException("could not start worker " + name, e);
        }
    }

    private void awaitReady(Duration timeout) {
        try {
            ChildJvm.awaitHttpOk(
                    process, URI.create("http://127.0.0.1:" + port + "/health/ready"), timeout, "worker " + name);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; see " + log, e);
        }
    }

    /** SIGKILL: no drain, no commit, nothing flushed. */
    public void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** SIGTERM: the worker drains within its deadline, commits and exits; returns its exit code. */
    public int terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout.toSeconds());
    }

    /** SIGSTOP: the whole JVM freezes, as in a long GC pause or a throttled container; its sockets stay open. */
    public void suspend() {
        signal("STOP");
    }

    /** SIGCONT: the frozen JVM goes on where it stopped, unaware of the time that passed. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            var kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code /health/live} answers 200. */
    public boolean live() {
        try {
            var response = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/health/live"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    private int waitFor(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitFor(30);
        }
    }
}
