package io.herald.worker;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static io.herald.testing.WorkerHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.observe.Tracing;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.Commands;
import io.herald.testing.WorkerHarness;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole path of each command type, on the real broker, database and sandbox. */
@Timeout(120)
class WorkerIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    private void awaitStatus(String commandId, String status) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(herald.status(commandId)).isEqualTo(status));
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void a_publish_for_a_user_is_one_call_recorded_with_its_publications_short_urls_and_outcome_event()
            throws Exception {
        herald.startWorker();
        var user = token();

        herald.send(Commands.publishForUser("pub-1", user, "facebook", "twitter"));
        awaitStatus("pub-1", "succeeded");

        var calls = herald.sandbox().journal().forToken(user);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).method()).isEqualTo("POST");
        assertThat(calls.get(0).path()).isEqualTo("/sharing/messages.json");
        assertThat(calls.get(0).excerpt()).startsWith("{\"request\":{\"sharing_message\":{\"parts\":");
        assertThat(herald.count("SELECT count(*) FROM sharing_messages WHERE command_id = 'pub-1'"))
                .isEqualTo(1);
        assertThat(herald.count("SELECT count(*) FROM publications WHERE command_id = 'pub-1'"))
                .isEqualTo(2);
        assertThat(
                        herald.count(
                                "SELECT count(*) FROM short_urls s JOIN publications p ON p.id = s.publication_id WHERE p.command_id = 'pub-1'"))
                .isEqualTo(2);
        assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = 'pub-1'"))
                .isEqualTo(1);
        var events = herald.read(herald.config().kafka().outcomesTopic(), 1, Duration.ofSeconds(20));
        var event = MAPPER.readTree(events.get(0).value());
        assertThat(text(events.get(0).key())).isEqualTo("pub-1");
        assertThat(event.path("status").asText()).isEqualTo("succeeded");
        assertThat(event.path("attempts").asInt()).isEqualTo(1);
        assertThat(event.at("/metadata/origin").asText()).isEqualTo("test");
        assertThat(event.at("/result/sharing_message/sharing_message_token").asText())
                .isNotBlank();
        await().atMost(Duration.ofSeconds(10)).until(() -> herald.committedOffsets() == 1);
    }

    @Test
    void republish_refresh_and_delete_make_the_documented_calls_and_update_the_message() {
        herald.startWorker();
        var first = token();
        var second = token();
        herald.send(Commands.publishForIdentity("msg-publish", first));
        awaitStatus("msg-publish", "succeeded");
        var message =
                stringQuery("SELECT sharing_message_token FROM sharing_messages WHERE command_id = ?", "msg-publish");

        herald.send(Commands.republish("msg-republish", message, second));
        awaitStatus("msg-republish", "succeeded");
        herald.send(Commands.refresh("msg-refresh", message));
        awaitStatus("msg-refresh", "succeeded");
        herald.send(Commands.delete("msg-delete", message));
        awaitStatus("msg-delete", "succeeded");

        var calls = herald.sandbox().journal().forToken(message).stream()
                .map(entry -> entry.method() + " " + entry.path())
                .toList();
        assertThat(calls)
                .containsExactly(
                        "POST /sharing/messages/" + message + ".json",
                        "GET /sharing/messages/" + message + ".json",
                        "DELETE /sharing/messages/" + message + ".json?confirm_deletion=true");
        assertThat(herald.count("SELECT count(*) FROM publications WHERE sharing_message_token = ?", message))
                .isEqualTo(2);
        assertThat(herald.count(
                        "SELECT count(*) FROM sharing_messages WHERE sharing_message_token = ? AND refreshed_at IS NOT NULL"
                                + " AND deleted_at IS NOT NULL",
                        message))
                .isEqualTo(1);
        assertThat(herald.count(
                        "SELECT count(*) FROM referral_samples r JOIN short_urls s USING (shorturl_token)"
                                + " WHERE s.sharing_message_token = ?",
                        message))
                .isGreaterThanOrEqualTo(2);
    }

    private String stringQuery(String sql, String arg) {
        try (var connection = herald.database().getConnection();
                var statement = connection.prepareStatement(sql)) {
            statement.setString(1, arg);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_push_is_one_call_to_its_endpoint_and_its_post_is_recorded() {
        herald.startWorker();
        var identity = token();

        herald.send(aPush().withId("push-1")
                .forIdentity(identity)
                .to("linkedin/post")
                .json());
        awaitStatus("push-1", "succeeded");

        var calls = herald.sandbox().journal().forToken(identity);
        assertThat(calls)
                .extracting(Journal.Entry::path)
                .containsExactly("/push/identities/" + identity + "/linkedin/post.json");
        assertThat(calls.get(0).excerpt())
                .isEqualTo(
                        "{\"request\":{\"push\":{\"post\":{\"message\":\"Hello World!\",\"link\":\"https://example.com/push-1\"}}}}");
        assertThat(stringQuery("SELECT post_location FROM push_results WHERE command_id = ?", "push-1"))
                .startsWith("https://www.linkedin.com/");
    }

    @Test
    void the_same_command_consumed_twice_is_sent_once() {
        herald.startWorker();
        var identity = token();
        var command = aPush().withId("twice").forIdentity(identity).json();

        herald.send(command, command);
        awaitStatus("twice", "succeeded");
        await().atMost(Duration.ofSeconds(20)).until(() -> herald.committedOffsets() == 2);

        assertThat(herald.sandbox().journal().forToken(identity)).hasSize(1);
        assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = 'twice'"))
                .isEqualTo(1);
    }

    /** The digest a reason names for this command ({@code BodyDigest.shown}). */
    private static String shownDigest(String json) {
        var command = ((io.herald.schema.Validation.Valid) new io.herald.schema.CommandReader().read(json)).command();
        return io.herald.command.BodyDigest.shown(io.herald.command.BodyDigest.of(command));
    }

    /** The same command with its fields in the reverse order, spread over lines. */
    private static String reordered(String json) throws Exception {
        var fields = new java.util.ArrayList<>(MAPPER.readTree(json).properties());
        java.util.Collections.reverse(fields);
        var node = MAPPER.createObjectNode();
        fields.forEach(field -> node.set(field.getKey(), field.getValue()));
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    @Test
    void a_reused_id_with_another_body_is_one_conflict_dead_letter_never_sent_and_an_identical_one_a_quiet_duplicate()
            throws Exception {
        herald.startWorker();
        var identity = token();
        var first =
                aPush().withId("reused").forIdentity(identity).saying("first").json();
        var other =
                aPush().withId("reused").forIdentity(identity).saying("other").json();
        var same = reordered(first);
        assertThat(same).isNotEqualTo(first);

        herald.send(first);
        awaitStatus("reused", "succeeded");
        herald.send(other, same);
        await().atMost(Duration.ofSeconds(30)).until(() -> herald.committedOffsets() == 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> herald.count("SELECT count(*) FROM outbox") == 0);

        var calls = herald.sandbox().journal().forToken(identity);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).excerpt()).contains("\"first\"").doesNotContain("\"other\"");
        var letters = herald.readToEnd(herald.config().kafka().deadLetterTopic());
        assertThat(letters).hasSize(1);
        assertThat(header(letters.get(0), "herald-error-class")).isEqualTo("conflict");
        assertThat(text(letters.get(0).value())).isEqualTo(other);
        assertThat(header(letters.get(0), "herald-error"))
                .contains("command id reused", shownDigest(first), shownDigest(other));
        assertThat(herald.count(
                        "SELECT count(*) FROM dead_letters WHERE command_id = 'reused' AND error_class = 'conflict'"
                                + " AND error LIKE ? AND attempt_history IS NULL",
                        "%" + shownDigest(first) + "%" + shownDigest(other) + "%"))
                .isEqualTo(1);
        assertThat(herald.count("SELECT count(*) FROM dead_letters")).isEqualTo(1);
        assertThat(herald.status("reused")).isEqualTo("succeeded");
        assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = 'reused'"))
                .isEqualTo(1);
        var events = herald.readToEnd(herald.config().kafka().outcomesTopic());
        assertThat(events)
                .as("the success, announced again for the identical record; nothing for the conflicting one")
                .hasSize(2)
                .allSatisfy(event -> assertThat(
                                MAPPER.readTree(event.value()).path("status").asText())
                        .isEqualTo("succeeded"));
    }

    @Test
    void a_reused_id_with_another_body_is_caught_while_its_command_waits_for_a_retry() throws Exception {
        var identity = token();
        // Retry-After: the first call's retry waits 3 s, long enough for the other record to find the command parked
        herald.sandbox()
                .setFaults(Faults.NONE.withRule(
                        FaultRule.failFirst(identity, 1, 503).withRetryAfter(3)));
        herald.startWorker();
        var first = aPush().withId("reused-waiting")
                .forIdentity(identity)
                .saying("first")
                .json();
        var other = aPush().withId("reused-waiting")
                .forIdentity(identity)
                .saying("other")
                .json();

        herald.send(first);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.count("SELECT count(*) FROM parked WHERE command_id = 'reused-waiting'") == 1);
        herald.send(other);
        awaitStatus("reused-waiting", "succeeded");
        await().atMost(Duration.ofSeconds(30)).until(() -> herald.committedOffsets() == 2);

        assertThat(herald.sandbox().journal().forToken(identity))
                .extracting(Journal.Entry::status)
                .containsExactly(503, 200);
        assertThat(herald.sandbox().journal().forToken(identity))
                .allSatisfy(call -> assertThat(call.excerpt()).contains("\"first\""));
        assertThat(herald.count("SELECT count(*) FROM dead_letters WHERE error_class = 'conflict'"))
                .isEqualTo(1);
        assertThat(herald.count("SELECT count(*) FROM dead_letters")).isEqualTo(1);
        assertThat(herald.count("SELECT count(*) FROM parked")).isZero();
    }

    @Test
    void commands_for_one_identity_reach_oneall_in_the_order_they_were_sent() {
        herald.sandbox().setFaults(Faults.NONE.withLatency(2, 10));
        herald.startWorker();
        var identity = token();
        var others = new String[] {token(), token(), token()};
        for (int i = 0; i < 30; i++) {
            herald.send(
                    aPush().withId("ordered-" + i)
                            .forIdentity(identity)
                            .saying("m-" + i)
                            .json(),
                    aPush().withId("other-" + i)
                            .forIdentity(others[i % 3])
                            .saying("o-" + i)
                            .json());
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'") == 60);

        var messages = herald.sandbox().journal().forToken(identity).stream()
                .map(entry -> entry.excerpt().replaceAll(".*\"message\":\"(m-\\d+)\".*", "$1"))
                .toList();
        assertThat(messages)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30)
                        .mapToObj(i -> "m-" + i)
                        .toList());
    }

    @Test
    void a_record_that_is_not_json_is_dead_lettered_byte_for_byte_with_its_provenance() throws Exception {
        herald.startWorker();
        var value = new byte[] {'n', 'o', 't', ' ', (byte) 0xff, 'j', 's', 'o', 'n'};

        herald.sendRaw("some-key".getBytes(StandardCharsets.UTF_8), value);

        var letters = herald.read(herald.config().kafka().deadLetterTopic(), 1, Duration.ofSeconds(30));
        assertThat(letters).hasSize(1);
        var letter = letters.get(0);
        assertThat(letter.value()).isEqualTo(value);
        assertThat(text(letter.key())).isEqualTo("some-key");
        assertThat(header(letter, "herald-error-class")).isEqualTo("invalid");
        assertThat(header(letter, "herald-error")).contains("UTF-8");
        assertThat(header(letter, "herald-attempts")).isEqualTo("0");
        assertThat(header(letter, "herald-original-topic"))
                .isEqualTo(herald.config().kafka().commandsTopic());
        assertThat(header(letter, "herald-original-offset")).isEqualTo("0");
        assertThat(header(letter, "herald-original-partition")).isNotNull();
        assertThat(header(letter, "herald-failed-at")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(header(letter, "herald-http-status")).isNull();
        assertThat(herald.count("SELECT count(*) FROM dead_letters WHERE error_class = 'invalid'"))
                .isEqualTo(1);
        assertThat(herald.sandbox().journal().received()).isZero();
    }

    @Test
    void a_permanent_404_is_dead_lettered_at_once_without_retry() throws Exception {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failAlways(identity, 404)));
        herald.startWorker();

        herald.send(aPush().withId("gone").forIdentity(identity).json());
        awaitStatus("gone", "dead_lettered");

        assertThat(herald.sandbox().journal().forToken(identity)).hasSize(1);
        var letter = herald.read(herald.config().kafka().deadLetterTopic(), 1, Duration.ofSeconds(20))
                .get(0);
        assertThat(header(letter, "herald-error-class")).isEqualTo("permanent");
        assertThat(header(letter, "herald-http-status")).isEqualTo("404");
        assertThat(header(letter, "herald-attempts")).isEqualTo("1");
        var event = MAPPER.readTree(herald.read(herald.config().kafka().outcomesTopic(), 1, Duration.ofSeconds(20))
                .get(0)
                .value());
        assertThat(event.path("status").asText()).isEqualTo("dead_lettered");
        assertThat(event.at("/error/class").asText()).isEqualTo("permanent");
        assertThat(event.at("/error/http_status").asInt()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("try") // the application's span is current while it sends; the scope is not read
    void
            one_trace_goes_from_the_produced_records_header_through_each_attempt_and_its_oneall_call_to_the_outcome_events_and_the_dead_letter()
                    throws Exception {
        var spans = InMemorySpanExporter.create();
        var sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build();
        var flaky = token();
        var gone = token();
        herald.sandbox()
                .setFaults(Faults.NONE
                        .withRule(FaultRule.failFirst(flaky, 1, 503))
                        .withRule(FaultRule.failAlways(gone, 404)));
        herald.startWorker(Tracing.of(sdk));

        // an application's span is current while it sends: the producer library writes its traceparent
        var application = sdk.getTracer("application").spanBuilder("publish").startSpan();
        try (var scope = application.makeCurrent()) {
            herald.send(aPush().withId("traced")
                    .forIdentity(flaky)
                    .saying("secret words")
                    .json());
        } finally {
            application.end();
        }
        // a record another producer wrote, with a traceparent and a header of its own
        var deadTrace = "0af7651916cd43dd8448eb211c80319c";
        var traceparent = "00-" + deadTrace + "-b7ad6b7169203331-01";
        herald.sendRaw(
                gone.getBytes(StandardCharsets.UTF_8),
                aPush().withId("traced-gone")
                        .forIdentity(gone)
                        .saying("secret words")
                        .json()
                        .getBytes(StandardCharsets.UTF_8),
                java.util.Map.of("traceparent", traceparent, "app-tenant", "acme"));
        awaitStatus("traced", "succeeded");
        awaitStatus("traced-gone", "dead_lettered");

        var trace = application.getSpanContext().getTraceId();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                        .filteredOn(span -> span.getKind() == SpanKind.CLIENT)
                        .hasSize(3));
        var attempts = spans.getFinishedSpanItems().stream()
                .filter(span ->
                        span.getKind() == SpanKind.CONSUMER && span.getTraceId().equals(trace))
                .toList();
        assertThat(attempts).extracting(SpanData::getName).containsExactly("herald push", "herald push");
        assertThat(attempts)
                .allSatisfy(attempt -> assertThat(attempt.getParentSpanId())
                        .isEqualTo(application.getSpanContext().getSpanId()));
        assertThat(attempts.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        var calls = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.CLIENT)
                .toList();
        assertThat(calls.stream()
                        .filter(call -> call.getTraceId().equals(trace))
                        .map(call -> call.getParentSpanId() + " "
                                + call.getAttributes().get(STATUS)))
                .containsExactly(
                        attempts.get(0).getSpanId() + " 503", attempts.get(1).getSpanId() + " 200");
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.getAttributes().get(METHOD)).isEqualTo("POST");
            assertThat(call.getAttributes().get(TEMPLATE))
                    .isEqualTo("/push/identities/{identity_token}/twitter/post.json");
            assertThat(call.getAttributes().asMap().values())
                    .extracting(String::valueOf)
                    .noneMatch(value -> value.contains(flaky)
                            || value.contains(gone)
                            || value.contains("secret")
                            || value.contains(herald.sandbox().privateKey()));
        });
        var deadCall = calls.stream()
                .filter(call -> call.getTraceId().equals(deadTrace))
                .findFirst()
                .orElseThrow();
        assertThat(deadCall.getAttributes().get(STATUS)).isEqualTo(404L);

        var events = herald.read(herald.config().kafka().outcomesTopic(), 2, Duration.ofSeconds(20));
        var succeeded = events.stream()
                .filter(event -> text(event.key()).equals("traced"))
                .findFirst()
                .orElseThrow();
        assertThat(header(succeeded, "traceparent"))
                .startsWith("00-" + trace + "-" + attempts.get(1).getSpanId() + "-");
        assertThat(header(succeeded, "herald-command-id")).isEqualTo("traced");
        assertThat(header(succeeded, "herald-type")).isEqualTo("push");
        assertThat(header(succeeded, "herald-status")).isEqualTo("succeeded");
        var deadEvent = events.stream()
                .filter(event -> text(event.key()).equals("traced-gone"))
                .findFirst()
                .orElseThrow();
        assertThat(header(deadEvent, "traceparent")).startsWith("00-" + deadTrace + "-");
        assertThat(header(deadEvent, "herald-status")).isEqualTo("dead_lettered");
        var letter = herald.read(herald.config().kafka().deadLetterTopic(), 1, Duration.ofSeconds(20))
                .get(0);
        assertThat(header(letter, "traceparent")).isEqualTo(traceparent);
        assertThat(header(letter, "app-tenant")).isEqualTo("acme");
        assertThat(header(letter, "herald-error-class")).isEqualTo("permanent");
    }

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> TEMPLATE = AttributeKey.stringKey("url.template");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    @Test
    void a_503_is_retried_with_backoff_then_succeeds() {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failFirst(identity, 2, 503)));
        herald.startWorker();

        herald.send(aPush().withId("flaky").forIdentity(identity).json());
        awaitStatus("flaky", "succeeded");

        assertThat(herald.sandbox().journal().forToken(identity))
                .extracting(Journal.Entry::status)
                .containsExactly(503, 503, 200);
        assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = 'flaky'"))
                .isEqualTo(3);
        assertThat(herald.count("SELECT count(*) FROM attempts WHERE command_id = 'flaky'"))
                .isEqualTo(3);
    }

    @Test
    void a_call_whose_answer_never_comes_is_an_unknown_outcome_and_is_not_sent_again() {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.hang(identity)));
        herald.startWorker();

        herald.send(aPush().withId("hung").forIdentity(identity).json());
        awaitStatus("hung", "dead_lettered");

        assertThat(herald.sandbox().journal().forToken(identity)).hasSize(1);
        assertThat(stringQuery("SELECT last_error_class FROM commands WHERE command_id = ?", "hung"))
                .isEqualTo("unknown-outcome");
        assertThat(herald.read(herald.config().kafka().deadLetterTopic(), 1, Duration.ofSeconds(20)).stream()
                        .map(record -> header(record, "herald-error-class"))
                        .collect(Collectors.toList()))
                .containsExactly("unknown-outcome");
    }
}
