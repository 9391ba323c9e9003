package io.herald.oneall;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.api.CallResult;
import io.herald.command.api.Requests;
import io.herald.observe.BuildInfo;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a local HTTP server that answers what each test says: only OneAll's envelope is an answer. */
@Timeout(60)
class OneAllClientTest {
    private static final String SUCCESS =
            "{\"response\":{\"request\":{\"status\":{\"flag\":\"success\",\"code\":200}}}}";
    private final Vertx vertx = Vertx.vertx();
    private final AtomicReference<Consumer<HttpServerRequest>> answer = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> lastBody = new AtomicReference<>();
    private final AtomicReference<String> lastAuthorization = new AtomicReference<>();
    private final AtomicReference<String> lastUserAgent = new AtomicReference<>();
    private final AtomicReference<MultiMap> lastHeaders = new AtomicReference<>();
    private HttpServer server;
    private OneAllClient client;

    @BeforeEach
    void start() throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    lastAuthorization.set(request.getHeader("Authorization"));
                    lastUserAgent.set(request.getHeader("User-Agent"));
                    lastHeaders.set(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
                    request.body().onSuccess(body -> {
                        lastBody.set(body.toString());
                        answer.get().accept(request);
                    });
                })
                .listen(0)
                .await(10, TimeUnit.SECONDS);
        client = new OneAllClient(
                vertx,
                URI.create("http://127.0.0.1:" + server.actualPort()),
                "public",
                "private",
                Duration.ofSeconds(15),
                10);
    }

    /** A client of one connection to the test's server, with its timeout and the clock its send deadline is read by. */
    private OneAllClient client(Duration timeout, java.util.function.LongSupplier nanoTime) {
        return new OneAllClient(
                vertx,
                URI.create("http://127.0.0.1:" + server.actualPort()),
                "public",
                "private",
                timeout,
                1,
                nanoTime);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private CallResult call(Consumer<HttpServerRequest> reply) throws Exception {
        answer.set(reply);
        return client.send(Requests.ping()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Consumer<HttpServerRequest> json(int status, String body) {
        return request -> request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }

    @Test
    void an_envelope_is_read_with_its_status_and_data() throws Exception {
        var result = call(json(
                200,
                "{\"response\":{\"request\":{\"status\":{\"flag\":\"success\",\"code\":200,\"info\":\"ok\"}},"
                        + "\"result\":{\"data\":{\"provider\":\"twitter\",\"post_id\":\"1\"}}}}"));

        assertThat(result).isInstanceOfSatisfying(CallResult.Answered.class, answered -> {
            assertThat(answered.httpStatus()).isEqualTo(200);
            assertThat(answered.flag()).isEqualTo("success");
            assertThat(answered.info()).isEqualTo("ok");
            assertThat(answered.data().path("post_id").asText()).isEqualTo("1");
            assertThat(answered.raw())
                    .as("nothing to sanitise, nothing kept raw")
                    .isNull();
        });
    }

    @Test
    void a_proxys_html_page_is_not_an_answer_whatever_its_status() throws Exception {
        var result = call(request -> request.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "text/html")
                .end("<html><body>502 Bad Gateway</body></html>"));

        assertThat(result).isInstanceOfSatisfying(CallResult.NotOneAll.class, page -> {
            assertThat(page.httpStatus()).isEqualTo(200);
            assertThat(page.contentType()).isEqualTo("text/html");
            assertThat(page.excerpt()).contains("502 Bad Gateway");
        });
    }

    @Test
    void an_empty_body_and_broken_json_are_not_answers_either() throws Exception {
        assertThat(call(request -> request.response().setStatusCode(200).end()))
                .isInstanceOf(CallResult.NotOneAll.class);
        assertThat(call(json(200, "{\"response\":"))).isInstanceOf(CallResult.NotOneAll.class);
        assertThat(call(json(200, "{\"something\":\"else\"}"))).isInstanceOf(CallResult.NotOneAll.class);
    }

    @Test
    void an_answer_holding_nul_characters_is_sanitised_and_kept_raw() throws Exception {
        var result = call(json(
                200,
                "{\"response\":{\"request\":{\"status\":{\"flag\":\"success\",\"code\":200}},"
                        + "\"result\":{\"data\":{\"post_id\":\"12\\u000034\"}}}}"));

        var answered = (CallResult.Answered) result;
        assertThat(answered.data().path("post_id").asText()).isEqualTo("1234");
        assertThat(new String(answered.raw(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("12\\u000034");
    }

    @Test
    void retry_after_is_read_as_seconds_or_as_an_http_date() throws Exception {
        var inSeconds = call(request -> request.response()
                .setStatusCode(429)
                .putHeader("Retry-After", "7")
                .end("{\"response\":{\"request\":{\"status\":{\"flag\":\"error\",\"code\":429}}}}"));
        var date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.now().plusSeconds(120).atZone(ZoneOffset.UTC));
        var asDate = call(request -> request.response()
                .setStatusCode(503)
                .putHeader("Retry-After", date)
                .end("down"));

        assertThat(((CallResult.Answered) inSeconds).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(((CallResult.NotOneAll) asDate).retryAfter())
                .hasValueSatisfying(
                        wait -> assertThat(wait).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121)));
        assertThat(RetryAfter.parse("soon", Clock.systemUTC())).isEmpty();
    }

    @Test
    void a_worker_frozen_after_its_connection_was_handed_out_does_not_send_the_call_when_it_thaws() throws Exception {
        // the clock jumps half a minute after its first reading: the freeze falls between the check at hand-out and
        // the flush of the request's bytes
        var readings = new AtomicInteger();
        var frozen = client(
                Duration.ofSeconds(15),
                () -> System.nanoTime()
                        + (readings.getAndIncrement() == 0
                                ? 0
                                : Duration.ofSeconds(30).toNanos()));
        answer.set(json(200, SUCCESS));

        var late = frozen.send(Requests.ping(), System.nanoTime())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(late).isInstanceOfSatisfying(CallResult.NotSent.class, notSent -> {
            assertThat(notSent.reason()).contains("before its bytes left");
            assertThat(notSent.late()).as("held back by the worker").isTrue();
        });
        assertThat(requests).as("requests that reached the server").hasValue(0);
        frozen.close();
    }

    @Test
    void a_call_on_the_wire_before_its_send_deadline_is_answered_whenever_the_answer_comes() throws Exception {
        var patient = client(Duration.ofSeconds(4), System::nanoTime);
        answer.set(request -> vertx.setTimer(2_500, id -> json(200, SUCCESS).accept(request)));

        var first = patient.send(Requests.ping(), System.nanoTime())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        var second = patient.send(Requests.ping(), System.nanoTime())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(first).as("answered after its send deadline (2 s) passed").isInstanceOf(CallResult.Answered.class);
        assertThat(second).as("the same connection, armed again").isInstanceOf(CallResult.Answered.class);
        assertThat(requests).hasValue(2);
        patient.close();
    }

    @Test
    void a_call_whose_claim_grew_too_old_before_it_left_is_not_sent_at_all() throws Exception {
        answer.set(json(200, "{}"));

        var result = client.send(
                        Requests.ping(),
                        System.nanoTime() - Duration.ofSeconds(8).toNanos())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(result).isInstanceOf(CallResult.NotSent.class);
        assertThat(requests).hasValue(0);
    }

    @Test
    void a_call_that_gets_no_answer_within_the_timeout_may_have_been_carried_out() throws Exception {
        var slow = client(Duration.ofSeconds(1), System::nanoTime);
        answer.set(request -> {});

        var result = slow.send(Requests.ping()).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(result).isInstanceOf(CallResult.MaybeSent.class);
        slow.close();
    }

    @Test
    void no_connection_is_a_call_that_was_not_sent() throws Exception {
        var nowhere = new OneAllClient(
                vertx, URI.create("http://127.0.0.1:1"), "public", "private", Duration.ofSeconds(15), 1);

        assertThat(nowhere.send(Requests.ping()).toCompletableFuture().get(30, TimeUnit.SECONDS))
                .isInstanceOf(CallResult.NotSent.class);
        nowhere.close();
    }

    @Test
    void requests_are_wrapped_and_carry_the_sites_keys_as_basic_auth_never_in_a_result() throws Exception {
        answer.set(json(401, "{\"response\":{\"request\":{\"status\":{\"flag\":\"error\",\"code\":401}}}}"));
        var call = Requests.republishFor(
                "328ef915-da13-4b58-83f6-6a35af3b08c0",
                "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8",
                java.util.List.of("twitter"));

        var result = client.send(call).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(lastBody.get())
                .isEqualTo("{\"request\":{\"sharing_message\":{\"publish_for_user\":{\"user_token\":"
                        + "\"9a76c7f6-3705-48a8-8ea6-e862ed86d5d8\",\"providers\":[\"twitter\"]}}}}");
        assertThat(lastAuthorization.get())
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("public:private".getBytes()));
        assertThat(result.toString()).doesNotContain("private");
    }

    @Test
    void calls_name_herald_and_its_version_as_their_user_agent() throws Exception {
        answer.set(json(200, SUCCESS));

        client.send(Requests.ping()).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(lastUserAgent.get())
                .isEqualTo("Herald/" + BuildInfo.current().version())
                .doesNotContain("development build");
    }

    @Test
    void requests_carry_heralds_headers_and_none_of_web_clients_own() throws Exception {
        answer.set(json(200, SUCCESS));

        client.send(Requests.ping()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        var get = lastHeaders.get();
        client.send(Requests.republishFor(
                        "328ef915-da13-4b58-83f6-6a35af3b08c0",
                        "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8",
                        java.util.List.of("twitter")))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        var post = lastHeaders.get();

        for (var headers : java.util.List.of(get, post)) {
            assertThat(headers.getAll("User-Agent")).singleElement().asString().startsWith("Herald");
            assertThat(headers.getAll("Accept")).containsExactly("application/json");
        }
        assertThat(get.get("Content-Type")).as("a read has no body").isNull();
        assertThat(post.getAll("Content-Type")).containsExactly("application/json");
    }

    @Test
    void a_redirect_is_taken_as_it_came_never_followed() throws Exception {
        var result = call(request -> request.response()
                .setStatusCode(302)
                .putHeader("Location", "/elsewhere.json")
                .end());

        assertThat(result)
                .isInstanceOfSatisfying(
                        CallResult.NotOneAll.class,
                        page -> assertThat(page.httpStatus()).isEqualTo(302));
        assertThat(requests).hasValue(1);
    }

    @Test
    void a_call_whose_claim_grew_too_old_while_it_waited_for_a_connection_is_dropped_when_one_is_handed_to_it()
            throws Exception {
        // one connection, busy with the first call for 2.5 s: the second's send deadline (2 s) passes while it waits
        var single = connected(client(Duration.ofSeconds(4), System::nanoTime));
        answer.set(request -> vertx.setTimer(2_500, id -> json(200, SUCCESS).accept(request)));

        var first = single.send(Requests.ping(), System.nanoTime()).toCompletableFuture();
        var second = single.send(Requests.ping(), System.nanoTime()).toCompletableFuture();

        assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(CallResult.Answered.class);
        assertThat(second.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(CallResult.NotSent.class, notSent -> {
            assertThat(notSent.reason()).contains("before a connection was free");
            assertThat(notSent.late()).as("held back by the worker").isTrue();
        });
        assertThat(requests)
                .as("requests that reached the server, the first connection's included")
                .hasValue(2);
        single.close();
    }

    @Test
    void a_call_that_got_no_connection_before_its_deadline_was_not_sent_and_is_not_sent_later() throws Exception {
        // one connection, held by a call OneAll never answers; the second call's deadline comes first
        var single = connected(client(Duration.ofSeconds(3), System::nanoTime));
        answer.set(request -> {});

        var first = single.send(Requests.ping(), System.nanoTime()).toCompletableFuture();
        var second = single.send(
                        Requests.ping(),
                        System.nanoTime() - Duration.ofMillis(500).toNanos())
                .toCompletableFuture();

        assertThat(second.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(CallResult.NotSent.class, notSent -> {
            assertThat(notSent.reason()).contains("no connection within");
            assertThat(notSent.late()).isFalse();
        });
        assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(CallResult.MaybeSent.class);
        // the first call's connection is closed with it: a new one may be handed to the second, which must not go
        Awaitility.await()
                .during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(requests).hasValue(2));
        single.close();
    }

    @Test
    void an_envelope_past_the_size_limit_is_not_taken_as_oneall_s_answer() throws Exception {
        var chunk = Buffer.buffer("x".repeat(1024 * 1024));

        var result = call(request -> {
            var response = request.response()
                    .setStatusCode(200)
                    .putHeader("Content-Type", "application/json")
                    .setChunked(true);
            response.write(
                    "{\"response\":{\"request\":{\"status\":{\"flag\":\"success\",\"code\":200}}},\"padding\":\"");
            writeChunks(response, chunk, OneAllClient.MAX_BODY / chunk.length() + 1, Buffer.buffer("\"}"));
        });

        assertThat(result).isInstanceOfSatisfying(CallResult.NotOneAll.class, page -> {
            assertThat(page.httpStatus()).isEqualTo(200);
            assertThat(page.contentType()).isEqualTo("application/json");
            assertThat(page.excerpt()).startsWith("{\"response\":").hasSize(200);
        });
    }

    /** The client with its connection made (by a call answered at once), as a worker's is once it has run a while. */
    private OneAllClient connected(OneAllClient client) throws Exception {
        answer.set(json(200, SUCCESS));
        var warmUp = client.send(Requests.ping()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (warmUp instanceof CallResult.NotSent notSent && notSent.late()) {
            // a loaded machine took longer to connect than a short timeout lets a claim wait; the connection is
            // made all the same, and the next call finds it
            warmUp = client.send(Requests.ping()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        assertThat(warmUp).isInstanceOf(CallResult.Answered.class);
        return client;
    }

    /** Writes {@code count} chunks as fast as the connection takes them, then the last bytes. */
    private static void writeChunks(HttpServerResponse response, Buffer chunk, int count, Buffer last) {
        int left = count;
        while (left > 0 && !response.writeQueueFull()) {
            response.write(chunk);
            left--;
        }
        if (left == 0) {
            response.end(last);
            return;
        }
        int remaining = left;
        response.drainHandler(ignored -> {
            response.drainHandler(null);
            writeChunks(response, chunk, remaining, last);
        });
    }
}
