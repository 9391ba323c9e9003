package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.Jdbc;
import io.herald.store.jdbc.Migrations;
import io.herald.testing.WorkerHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker's database client: a pool whose statements PostgreSQL cancels past their timeout, and readiness read through it. */
@Timeout(180)
class DatabaseClientIT {
    private final WorkerHarness herald = new WorkerHarness().with("HERALD_DATABASE_STATEMENT_TIMEOUT_MS", "1000");

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void a_statement_running_longer_than_the_statement_timeout_is_cancelled_and_the_pool_goes_on() throws Exception {
        try (var pool = Database.pool(herald.config().database(), "herald-test")) {
            var jdbc = new Jdbc(pool);
            assertThat(jdbc.queryOne("SHOW statement_timeout", row -> row.getString(1)))
                    .contains("1s");

            long started = System.nanoTime();
            assertThatThrownBy(() -> jdbc.queryOne("SELECT pg_sleep(5)", row -> row.getString(1)))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("57014");
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(seconds).isBetween(0.9, 3.0);
            assertThat(jdbc.queryOne("SELECT 1", row -> row.getInt(1))).contains(1);
            System.out.printf(
                    "statement timeout 1000 ms: pg_sleep(5) cancelled after %.2f s (SQLSTATE 57014), the pool answers next%n",
                    seconds);
        }
    }

    /**
     * A new deployment's first batches meet an empty {@code commands} table: the outcome statement, prepared then and
     * run on while the table grows to 100,000 rows, still finds its rows by key instead of scanning the table each time.
     */
    @Test
    void an_outcome_batch_finds_its_rows_by_key_however_small_the_ledger_was_when_its_statement_was_prepared()
            throws Exception {
        try (var pool = Database.pool(herald.config().database(), "herald-test")) {
            Migrations.apply(pool);
            var jdbc = new Jdbc(pool);
            var plan = jdbc.withConnection(connection -> {
                try (var statement = connection.createStatement()) {
                    // The class's workers run with a 1 s statement timeout; filling 100,000 rows may take longer
                    // on a busy machine, and this test is about the plan, so its own session has none.
                    statement.execute("SET statement_timeout = 0");
                    statement.execute("ANALYZE commands");
                    statement.execute("PREPARE outcome(jsonb) AS " + LedgerSql.UNDER_CLAIM.replace("?::jsonb", "$1"));
                    for (int i = 0; i < 8; i++) {
                        statement.execute("EXECUTE outcome('[]')");
                    }
                    statement.execute("""
                            INSERT INTO commands (command_id, type, status, routing_key, claimed_by)
                            SELECT 'plan-' || i, 'push', 'in_flight', 'key-' || i, 'token-' || i
                              FROM generate_series(1, 100000) AS i""");
                    var lines = new StringBuilder();
                    try (var rows = statement.executeQuery("EXPLAIN EXECUTE outcome('[]')")) {
                        while (rows.next()) {
                            lines.append(rows.getString(1)).append('\n');
                        }
                    }
                    statement.execute("DEALLOCATE outcome");
                    return lines.toString();
                }
            });

            assertThat(plan).contains("Index Scan using commands_pkey").doesNotContain("Seq Scan on commands");
            assertThat(jdbc.queryOne("SHOW plan_cache_mode", row -> row.getString(1)))
                    .contains("force_custom_plan");
            System.out.printf("the outcome statement on 100,000 rows, prepared on none:%n%s", plan);
        }
    }

    /**
     * Twenty seconds of an idle worker asked for its readiness twice a second: PostgreSQL sees no more of its connections
     * than the pool holds, and no connection comes and goes with the checks.
     */
    @Test
    void readiness_comes_from_the_pool_without_a_connection_per_check() {
        var worker = herald.startWorker();
        int poolSize = herald.config().database().poolSize();
        var http = HttpClient.newHttpClient();
        var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.httpPort() + "/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

        var seen = new HashSet<String>();
        long most = 0;
        int checks = 0;
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            int status = send(http, ready);
            assertThat(status).as("readiness of an idle worker").isEqualTo(200);
            checks++;
            var connections = herald.strings("""
                    SELECT pid || '@' || backend_start FROM pg_stat_activity
                     WHERE datname = current_database() AND application_name = 'herald'""");
            seen.addAll(connections);
            most = Math.max(most, connections.size());
            sleep(Duration.ofMillis(500));
        }

        assertThat(most).as("herald's connections at once").isPositive().isLessThanOrEqualTo(poolSize);
        assertThat(seen).as("herald's connections over the twenty seconds").hasSizeLessThanOrEqualTo(poolSize);
        System.out.printf(
                "twenty seconds of idling, %d readiness checks: at most %d of herald's connections at once, %d over the twenty seconds"
                        + " (pool size %d)%n",
                checks, most, seen.size(), poolSize);
    }

    private static int send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The checks are paced, not waited on: nothing is expected to happen between them. */
    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
