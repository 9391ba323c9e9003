package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.WorkerHarness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Guarantee: {@code Retry-After} is honoured as seconds or as an HTTP date, and never for longer than HERALD_RETRY_AFTER_MAX_S. */
@Timeout(120)
class RetryAfterIT {
    private final WorkerHarness herald = new WorkerHarness();
    private DateProxy proxy;

    @AfterEach
    void stop() {
        herald.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    /** A 503 or 429 asking to wait a day: the command (and its provider) waits the cap of 2 s, then succeeds. */
    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {503, 429})
    void a_retry_after_of_a_day_is_cut_to_the_configured_cap(int status) {
        var identity = token();
        herald.with("HERALD_RETRY_AFTER_MAX_S", "2");
        herald.sandbox()
                .setFaults(Faults.NONE.withRule(
                        FaultRule.failFirst(identity, 1, status).withRetryAfter(86_400)));
        herald.startWorker();

        herald.send(
                aPush().withId("a-day").forIdentity(identity).json(),
                aPush().withId("same-provider").json());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "succeeded".equals(herald.status("a-day"))
                        && "succeeded".equals(herald.status("same-provider")));

        var calls = herald.sandbox().journal().forToken(identity);
        assertThat(calls).extracting(Journal.Entry::status).containsExactly(status, 200);
        var waited = Duration.between(calls.get(0).at(), calls.get(1).at());
        assertThat(waited).isBetween(Duration.ofMillis(1_900), Duration.ofSeconds(10));
        System.out.printf(
                "HTTP %d with Retry-After: 86400 and HERALD_RETRY_AFTER_MAX_S=2: retried after %d ms%n",
                status, waited.toMillis());
    }

    /** A 503 whose Retry-After is a date 3 s ahead (a proxy rewrites the sandbox's seconds): the retry waits for it. */
    @Test
    void a_retry_after_given_as_an_http_date_is_honoured() {
        var identity = token();
        proxy = DateProxy.start(herald.sandbox().baseUri());
        herald.with("ONEALL_API_URL", proxy.uri().toString());
        herald.sandbox()
                .setFaults(Faults.NONE.withRule(
                        FaultRule.failFirst(identity, 1, 503).withRetryAfter(3)));
        herald.startWorker();

        herald.send(aPush().withId("dated").forIdentity(identity).json());
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("dated")));

        var calls = herald.sandbox().journal().forToken(identity);
        assertThat(calls).extracting(Journal.Entry::status).containsExactly(503, 200);
        assertThat(proxy.dates()).as("Retry-After headers rewritten as dates").hasSize(1);
        var waited = Duration.between(calls.get(0).at(), calls.get(1).at());
        assertThat(waited)
                .as("the wait; the backoff alone is 100 ms")
                .isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(10));
        System.out.printf(
                "HTTP 503 with Retry-After: %s: retried after %d ms%n",
                proxy.dates().get(0), waited.toMillis());
    }

    /** Passes calls on to the sandbox and answers with its answer, a {@code Retry-After} in seconds turned into a date. */
    private static final class DateProxy implements AutoCloseable {
        private static final List<String> PASSED_ON = List.of("Authorization", "Content-Type", "Accept");
        /** IMF-fixdate, as HTTP servers send it (RFC 9110 §5.6.7). */
        private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                        "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC);

        private final HttpServer server;
        private final java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(4);
        private final URI target;
        private final HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final List<String> dates = new java.util.concurrent.CopyOnWriteArrayList<>();

        private DateProxy(HttpServer server, URI target) {
            this.server = server;
            this.target = target;
        }

        static DateProxy start(URI target) {
            try {
                var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                var proxy = new DateProxy(server, target);
                server.createContext("/", proxy::handle);
                server.setExecutor(proxy.threads);
                server.start();
                return proxy;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        List<String> dates() {
            return dates;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                var body = exchange.getRequestBody().readAllBytes();
                var request = HttpRequest.newBuilder(
                                target.resolve(exchange.getRequestURI().toString()))
                        .method(
                                exchange.getRequestMethod(),
                                body.length == 0
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
                PASSED_ON.forEach(name -> {
                    var value = exchange.getRequestHeaders().getFirst(name);
                    if (value != null) {
                        request.header(name, value);
                    }
                });
                var response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers()
                        .firstValue("Content-Type")
                        .ifPresent(value -> exchange.getResponseHeaders().add("Content-Type", value));
                response.headers().firstValue("Retry-After").ifPresent(seconds -> {
                    var at = Instant.now()
                            .plusSeconds(Long.parseLong(seconds))
                            .plusSeconds(1)
                            .truncatedTo(ChronoUnit.SECONDS);
                    var date = HTTP_DATE.format(at);
                    dates.add(date);
                    exchange.getResponseHeaders().add("Retry-After", date);
                });
                exchange.sendResponseHeaders(
                        response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
                exchange.getResponseBody().write(response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
