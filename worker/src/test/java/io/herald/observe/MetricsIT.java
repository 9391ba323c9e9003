package io.herald.observe;

import static io.herald.testing.Commands.aPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.WorkerHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a Prometheus scrape of a working worker's {@code /metrics} gets: Herald's own series beside the JVM's and the clients'. */
@Timeout(120)
class MetricsIT {
    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void metrics_show_the_jvm_the_kafka_clients_and_the_pool_beside_herald_s_own() throws Exception {
        var worker = herald.startWorker();
        var commandId = UUID.randomUUID().toString();
        herald.send(aPush().withId(commandId).json());
        await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(herald.status(commandId)));

        var response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.httpPort() + "/metrics"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        var body = response.body();
        assertThat(body)
                .as("Herald's own")
                .contains(
                        "herald_commands_consumed_total",
                        "herald_outcomes_total{",
                        "herald_oneall_call_seconds_count{",
                        "herald_build_info{commit=\"" + BuildInfo.current().commit() + "\",version=\"");
        assertThat(body)
                .as("the JVM's")
                .contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "process_cpu_usage");
        assertThat(body)
                .as("the Kafka consumer's and producer's")
                .contains("kafka_consumer_fetch_manager_records_consumed_total{", "kafka_producer_record_send_total{");
        assertThat(body).as("the connection pool's").contains("hikaricp_connections_active{");
        System.out.printf(
                "/metrics after one push: %d series lines%n",
                body.lines().filter(line -> !line.startsWith("#")).count());
    }
}
