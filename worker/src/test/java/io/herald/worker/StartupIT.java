package io.herald.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.WorkerApp;
import io.herald.cli.ExitCodes;
import io.herald.embedded.FreePorts;
import io.herald.observe.BuildInfo;
import io.herald.store.jdbc.Migrations;
import io.herald.testing.HeraldCli;
import io.herald.testing.WorkerHarness;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: a worker's health endpoints answer from the moment it starts, before its migrations, topics and
 * connections, so that an orchestrator neither restarts a worker busy with a long migration (live) nor sends it work
 * before it can take it (ready, with the stage it is at); and a start that fails still ends with its one-line error,
 * its endpoints closed.
 */
@Timeout(120)
class StartupIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerHarness herald = new WorkerHarness();
    private final int port = FreePorts.find();

    @AfterEach
    void stop() {
        herald.close();
    }

    /** What an endpoint of the worker's port answers: its status and body. */
    private record Answer(int status, String body) {}

    private Answer get(String path) throws IOException, InterruptedException {
        var response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** Waits until /health/ready says the worker is at {@code stage}, then checks that it is live and scraped. */
    private void awaitStarting(String stage) throws IOException, InterruptedException {
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(ConnectException.class)
                .untilAsserted(() -> assertThat(get("/health/ready"))
                        .isEqualTo(new Answer(503, "not ready: starting: " + stage + "\n")));
        assertThat(get("/health/live").status()).isEqualTo(200);
        var metrics = get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("herald_ready 0.0", "jvm_memory_used_bytes{");
    }

    @Test
    void a_worker_waiting_for_its_migrations_is_live_and_not_ready_with_its_stage_then_ready() throws Exception {
        herald.with("HERALD_HTTP_PORT", Integer.toString(port));
        // The schema history exists; locked, it holds the worker's Flyway at its first read, as a long migration would.
        Migrations.apply(herald.database());
        var starter = Executors.newSingleThreadExecutor();
        try (var connection = herald.database().getConnection()) {
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                statement.execute("LOCK TABLE flyway_schema_history IN ACCESS EXCLUSIVE MODE");
            }
            var starting = CompletableFuture.supplyAsync(herald::startWorker, starter);

            awaitStarting("applying database migrations");
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(get("/health/ready").body())
                        .as("as long as the migration waits")
                        .isEqualTo("not ready: starting: applying database migrations\n");
                assertThat(get("/health/live").status()).isEqualTo(200);
                assertThat(starting).isNotDone();
            });

            connection.commit();
            var worker = starting.get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(get("/health/ready")).isEqualTo(new Answer(200, "ready\n")));
            assertThat(get("/health/live").status()).isEqualTo(200);
            assertThat(worker.httpPort()).isEqualTo(port);
        } finally {
            starter.shutdownNow();
        }
    }

    @Test
    void a_start_that_fails_closes_the_health_endpoints_it_opened_first() throws Exception {
        herald.with("HERALD_HTTP_PORT", Integer.toString(port))
                .with("HERALD_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + FreePorts.find() + "/herald");
        var config = herald.config();
        var starter = Executors.newSingleThreadExecutor();
        try {
            var starting = CompletableFuture.supplyAsync(() -> WorkerApp.start(config), starter);

            awaitStarting("applying database migrations");
            assertThatThrownBy(() -> starting.get(60, TimeUnit.SECONDS))
                    .hasMessageContaining("cannot reach PostgreSQL at 127.0.0.1:");
            assertThatThrownBy(() -> get("/health/live")).isInstanceOf(ConnectException.class);
        } finally {
            starter.shutdownNow();
        }
    }

    @Test
    void herald_run_whose_database_is_out_of_reach_answers_starting_then_exits_69_with_one_line_its_log_on_stdout()
            throws Exception {
        var environment = new HashMap<>(herald.environment());
        environment.put("HERALD_HTTP_PORT", Integer.toString(port));
        int databasePort = FreePorts.find();
        environment.put("HERALD_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + databasePort + "/herald");
        var running = CompletableFuture.supplyAsync(() -> HeraldCli.run(environment, 60, "run"));

        awaitStarting("applying database migrations");
        var exit = running.get(60, TimeUnit.SECONDS);

        assertThat(exit.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        var errors = exit.errLines().stream()
                .filter(line -> line.startsWith("herald: "))
                .toList();
        assertThat(errors)
                .singleElement()
                .isEqualTo("herald: cannot reach PostgreSQL at 127.0.0.1:" + databasePort
                        + "/herald: Connection to 127.0.0.1:" + databasePort + " refused");
        assertThat(exit.errLines())
                .as("stderr: the reason alone, the log is on stdout")
                .containsExactly(errors.get(0));
        var lines = new ArrayList<JsonNode>();
        for (var line : exit.out().lines().filter(line -> !line.isBlank()).toList()) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines)
                .as("herald run's log on stdout, one JSON object in ECS's field names a line")
                .isNotEmpty()
                .allSatisfy(line -> {
                    assertThat(line.path("@timestamp").asText()).endsWith("Z");
                    assertThat(line.path("service.name").asText()).isEqualTo("herald");
                    assertThat(line.path("service.version").asText())
                            .isEqualTo(BuildInfo.current().version());
                })
                .anySatisfy(line -> {
                    assertThat(line.path("log.logger").asText()).isEqualTo(WorkerApp.class.getName());
                    assertThat(line.path("log.level").asText()).isEqualTo("INFO");
                    assertThat(line.path("message").asText()).contains(" starting with {");
                });
        var password = herald.environment().get("HERALD_DATABASE_PASSWORD");
        if (!password.isEmpty()) {
            assertThat(exit.out() + exit.err()).doesNotContain(password);
        }
        System.out.printf(
                "herald run without its database: exit %d after %.1f s: %s%n",
                exit.exitCode(), exit.seconds(), errors.get(0));
    }
}
