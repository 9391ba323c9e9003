package io.herald.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import io.herald.command.Event;
import io.herald.command.Policy;
import io.herald.command.RetryPolicy;
import io.herald.command.UnknownOutcomePolicy;
import io.herald.command.api.Call;
import io.herald.command.api.CallResult;
import io.herald.config.RateLimits;
import io.herald.consume.Delivery;
import io.herald.consume.Disposition;
import io.herald.observe.Metrics;
import io.herald.observe.Tracing;
import io.herald.oneall.OneAll;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import io.herald.store.ClaimRequest;
import io.herald.store.Ledger;
import io.herald.store.LedgerChange;
import io.herald.store.LedgerWriter;
import io.herald.store.ParkRequest;
import io.herald.store.RecordHeaders;
import io.herald.store.WriteRefusedException;
import io.herald.testing.JsonLogs;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The executor against in-memory doubles of the ledger and of OneAll: what it claims, calls and records, in which order. */
class ExecutorTest {
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";
    private static final String TOKEN = "328ef915-da13-4b58-83f6-6a35af3b08c0";
    private static final String USER = "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8";

    /** A ledger that answers claims and applies changes as each test scripts them, and remembers what it was asked. */
    private static class ScriptedLedger implements Ledger {
        final ArrayDeque<Event> claims = new ArrayDeque<>();
        final ArrayDeque<Object> results = new ArrayDeque<>();
        final List<ClaimRequest> claimed = new ArrayList<>();
        final List<LedgerChange> changes = new ArrayList<>();
        final List<ParkRequest> parks = new ArrayList<>();

        @Override
        public CompletionStage<Event> claim(ClaimRequest request) {
            claimed.add(request);
            return CompletableFuture.completedFuture(
                    claims.isEmpty() ? new Event.Claimed(claimed.size(), null) : claims.poll());
        }

        @Override
        public CompletionStage<LedgerWriter.Result> park(ParkRequest request) {
            parks.add(request);
            return CompletableFuture.completedFuture(LedgerWriter.Result.APPLIED);
        }

        @Override
        public CompletionStage<LedgerWriter.Result> apply(LedgerChange change) {
            changes.add(change);
            var result = results.isEmpty() ? LedgerWriter.Result.APPLIED : results.poll();
            return result instanceof RuntimeException e
                    ? CompletableFuture.failedFuture(e)
                    : CompletableFuture.completedFuture((LedgerWriter.Result) result);
        }
    }

    /** OneAll answering from a script, remembering each call. */
    private static final class ScriptedOneAll implements OneAll {
        final ArrayDeque<CallResult> answers = new ArrayDeque<>();
        final List<Call> calls = new ArrayList<>();

        @Override
        public CompletionStage<CallResult> send(Call call, long sendByNanos) {
            calls.add(call);
            return CompletableFuture.completedFuture(answers.isEmpty() ? ok("{}") : answers.poll());
        }
    }

    private final ScriptedLedger ledger = new ScriptedLedger();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final Tracing tracing = Tracing.of(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build());
    private final ScriptedOneAll oneall = new ScriptedOneAll();
    private final ManualTimer timer = new ManualTimer();
    private final Policy policy = new Policy(
            RetryPolicy.maxAttempts(3).exponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10)),
            UnknownOutcomePolicy.DEAD_LETTER,
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofHours(1));
    private final CallSlots slots =
            new CallSlots(2, RateLimits.NONE, Duration.ofHours(1), Duration.ofMinutes(1), timer, new Metrics());
    private final Executor executor = executor();

    private Executor executor() {
        return executor(ledger);
    }

    private Executor executor(Ledger ledger) {
        var gate = new CredentialsGate();
        gate.connect(oneall, timer);
        return new Executor(
                new Executor.Peers(
                        ledger,
                        oneall,
                        slots,
                        new LostCalls(oneall, slots, timer, Duration.ofSeconds(30), LostCallsTest.NOTHING_RECORDED),
                        gate),
                new Executor.Rules(
                        policy,
                        new Recording("dlt", "outcomes", "w1", Clock.systemUTC()),
                        timer,
                        Clock.systemUTC(),
                        "w1"),
                new Executor.Observers(
                        new ExecutorMetrics(new Metrics()), new AttemptTraces(tracing, Clock.systemUTC())));
    }

    private static CallResult ok(String data) {
        try {
            return new CallResult.Answered(
                    200,
                    "success",
                    "ok",
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(data),
                    Optional.empty());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CallResult status(int code) {
        return new CallResult.Answered(code, "error", "OneAll answered " + code, null, Optional.empty());
    }

    private Disposition run(String json) throws Exception {
        return run(json, 0);
    }

    private Disposition run(String json, int partition) throws Exception {
        return executor.run(work(json, partition, 7)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The work of one delivery of {@code json}, read and validated as the worker does. */
    private static Work work(String json, int partition, long offset) {
        return work(json, partition, offset, RecordHeaders.NONE);
    }

    private static Work work(String json, int partition, long offset, RecordHeaders headers) {
        var value = json.getBytes(StandardCharsets.UTF_8);
        var validation = (Validation.Valid) new CommandReader().read(value);
        return new Work(
                new Delivery("t", partition, offset, null, value, 1, validation, null, headers),
                validation.command(),
                CommandHandler.ref(validation.command()));
    }

    private static String push() {
        return "{\"command_id\":\"p\",\"type\":\"push\",\"identity_token\":\"" + IDENTITY
                + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"Hi\"}}}";
    }

    @Test
    void a_claimed_push_is_sent_once_and_its_success_recorded_under_its_own_claim() throws Exception {
        var disposition = run(push());

        assertThat(oneall.calls).hasSize(1);
        assertThat(disposition).isEqualTo(Disposition.DONE);
        var change = ledger.changes.get(0);
        assertThat(change.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(change.guard())
                .isEqualTo(new LedgerChange.Guard.Claim(ledger.claimed.get(0).token()));
        assertThat(change.attempt().attempt()).isEqualTo(1);
        assertThat(change.outbox()).extracting(message -> message.topic()).containsExactly("outcomes");
    }

    @Test
    void a_dead_letter_is_logged_as_an_error_whose_json_line_names_the_command_its_key_and_its_partition()
            throws Exception {
        oneall.answers.add(status(404));

        var lines = JsonLogs.during(() -> run(push(), 5));

        assertThat(lines)
                .filteredOn(line -> line.path("log.logger").asText().equals(Executor.class.getName()))
                .singleElement()
                .satisfies(line -> {
                    assertThat(line.path("log.level").asText()).isEqualTo("ERROR");
                    assertThat(line.path("message").asText())
                            .startsWith("dead-lettered command p (key " + IDENTITY + ") as permanent");
                    assertThat(line.path("herald.command_id").asText()).isEqualTo("p");
                    assertThat(line.path("herald.routing_key").asText()).isEqualTo(IDENTITY);
                    assertThat(line.path("herald.partition").asText()).isEqualTo("5");
                });
    }

    @Test
    void
            a_dead_lettered_attempt_is_a_span_of_its_records_trace_whose_call_names_no_token_and_its_records_keep_the_trace()
                    throws Exception {
        oneall.answers.add(status(404));
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var headers = RecordHeaders.of(List.of(
                new RecordHeaders.Header("traceparent", bytes("00-" + traceId + "-00f067aa0ba902b7-01")),
                new RecordHeaders.Header("app-header", bytes("kept"))));

        var lines = JsonLogs.during(() ->
                executor.run(work(push(), 2, 9, headers)).toCompletableFuture().get(10, TimeUnit.SECONDS));

        var attempt = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.CONSUMER)
                .findFirst()
                .orElseThrow();
        var call = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.CLIENT)
                .findFirst()
                .orElseThrow();
        assertThat(attempt.getTraceId()).isEqualTo(traceId);
        assertThat(attempt.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attempt.getAttributes().get(AttemptTraces.ATTEMPT)).isEqualTo(1L);
        assertThat(call.getParentSpanId()).isEqualTo(attempt.getSpanId());
        assertThat(call.getAttributes().get(AttemptTraces.TEMPLATE))
                .isEqualTo("/push/identities/{identity_token}/twitter/post.json");
        assertThat(call.getAttributes().get(AttemptTraces.STATUS)).isEqualTo(404L);
        assertThat(call.getAttributes().asMap().values())
                .allSatisfy(value -> assertThat(String.valueOf(value))
                        .doesNotContain(IDENTITY)
                        .doesNotContain("Hi"));
        var outbox = ledger.changes.get(0).outbox();
        var letter =
                outbox.stream().filter(m -> m.topic().equals("dlt")).findFirst().orElseThrow();
        assertThat(letter.recordHeaders()).isEqualTo(headers);
        var event = outbox.stream()
                .filter(m -> m.topic().equals("outcomes"))
                .findFirst()
                .orElseThrow();
        assertThat(event.headers())
                .containsEntry("herald-command-id", "p")
                .containsEntry("herald-type", "push")
                .containsEntry("herald-status", "dead_lettered")
                .containsEntry("traceparent", "00-" + traceId + "-" + attempt.getSpanId() + "-01");
        assertThat(lines)
                .filteredOn(line -> line.path("log.logger").asText().equals(Executor.class.getName()))
                .singleElement()
                .satisfies(line -> {
                    assertThat(line.path("trace.id").asText()).isEqualTo(traceId);
                    assertThat(line.path("span.id").asText()).isEqualTo(attempt.getSpanId());
                });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_transient_failure_is_parked_for_its_retry_with_its_kafka_value() throws Exception {
        oneall.answers.add(status(503));

        var disposition = run(push());

        assertThat(disposition).isInstanceOf(Disposition.Parked.class);
        var change = ledger.changes.get(0);
        assertThat(change.status()).isEqualTo(CommandStatus.PENDING);
        assertThat(new String(change.park().payload(), StandardCharsets.UTF_8)).isEqualTo(push());
        assertThat(change.attempt().errorClass()).isEqualTo("transient");
    }

    @Test
    void a_claim_found_in_flight_young_is_waited_for_and_read_again_nothing_sent_meanwhile() throws Exception {
        ledger.claims.add(new Event.FoundInFlight(1, "w2:9", Duration.ofSeconds(10), null));
        var done = executor.run(work(push(), 0, 7));

        assertThat(oneall.calls).isEmpty();
        assertThat(done).isNotCompleted();
        assertThat(timer.delays).containsExactly(Duration.ofSeconds(25));
        ledger.claims.add(new Event.AlreadyEnded(CommandStatus.SUCCEEDED, 1));
        timer.runAll();

        assertThat(done.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(Disposition.DONE);
        assertThat(oneall.calls).isEmpty();
        assertThat(ledger.claimed).hasSize(2);
    }

    @Test
    void a_lost_push_found_old_is_dead_lettered_under_the_lost_claim_so_a_late_answer_of_its_worker_wins()
            throws Exception {
        ledger.claims.add(new Event.FoundInFlight(1, "w2:9", Duration.ofSeconds(40), null));

        run(push());

        var change = ledger.changes.get(0);
        assertThat(change.guard()).isEqualTo(new LedgerChange.Guard.Claim("w2:9"));
        assertThat(change.deadLetter().errorClass()).isEqualTo(ErrorClass.UNKNOWN_OUTCOME);
        assertThat(change.outbox()).extracting(message -> message.topic()).containsExactly("dlt", "outcomes");
        assertThat(oneall.calls).isEmpty();
    }

    @Test
    void a_success_whose_claim_was_settled_by_another_worker_corrects_that_workers_unknown_outcome() throws Exception {
        ledger.results.add(LedgerWriter.Result.FENCED);

        var disposition = run(push());

        assertThat(ledger.changes).hasSize(2);
        assertThat(ledger.changes.get(1).guard()).isEqualTo(new LedgerChange.Guard.LostCall(1));
        assertThat(ledger.changes.get(1).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(disposition).isEqualTo(Disposition.DONE);
    }

    /**
     * The worker frozen past its session comes back: its call, too old to send, goes back to pending under its own
     * claim just as this worker, the partition's new owner, dead-letters that claim as lost, and the frozen worker's
     * retry ends with its lost partition. This worker reads the ledger again and sends the command itself, once.
     */
    @Test
    void a_lost_call_whose_claim_its_late_worker_put_back_to_pending_is_claimed_and_sent_by_the_partitions_owner()
            throws Exception {
        ledger.claims.add(new Event.FoundInFlight(1, "w2:9", Duration.ofSeconds(40), null));
        ledger.results.add(LedgerWriter.Result.FENCED);

        var disposition = run(push());

        assertThat(ledger.claimed).hasSize(2);
        assertThat(ledger.changes).hasSize(2);
        assertThat(ledger.changes.get(0).guard()).isEqualTo(new LedgerChange.Guard.Claim("w2:9"));
        assertThat(ledger.changes.get(1).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(oneall.calls).hasSize(1);
        assertThat(disposition).isEqualTo(Disposition.DONE);
    }

    @Test
    void a_claim_fenced_by_a_newer_epoch_is_left_to_the_new_owner_and_nothing_is_sent() throws Exception {
        ledger.claims.add(new Event.Fenced());

        assertThat(run(push())).isInstanceOf(Disposition.Dropped.class);
        assertThat(oneall.calls).isEmpty();
        assertThat(ledger.changes).isEmpty();
    }

    @Test
    void a_write_the_database_refuses_three_times_is_recorded_without_the_answer() throws Exception {
        for (int i = 0; i < 3; i++) {
            ledger.results.add(new WriteRefusedException("invalid byte sequence", null));
        }

        assertThat(run(push())).isEqualTo(Disposition.DONE);
        assertThat(ledger.changes).hasSize(4);
        assertThat(ledger.changes.get(3).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(ledger.changes.get(3).lastError()).contains("the database refused it 3 times");
        assertThat(oneall.calls).as("never sent again").hasSize(1);
    }

    @Test
    void a_lost_republish_read_back_with_its_publication_succeeded_without_a_second_call() throws Exception {
        ledger.claims.add(new Event.FoundInFlight(1, "w2:9", Duration.ofSeconds(40), null));
        oneall.answers.add(ok("{\"sharing_message\":{\"sharing_message_token\":\"" + TOKEN
                + "\",\"publications\":[{\"provider\":\"twitter\"," + "\"user_token\":\"" + USER
                + "\",\"status\":{\"flag\":\"success\",\"code\":200}}]}}"));

        run("{\"command_id\":\"r\",\"type\":\"republish\",\"sharing_message_token\":\"" + TOKEN
                + "\",\"sharing_message\":{" + "\"publish_for_user\":{\"user_token\":\"" + USER
                + "\",\"providers\":[\"twitter\"]}}}");

        assertThat(oneall.calls).extracting(Call::method).containsExactly("GET");
        assertThat(ledger.changes.get(0).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(ledger.changes.get(0).guard()).isEqualTo(new LedgerChange.Guard.Claim("w2:9"));
    }

    @Test
    void a_claim_holds_its_call_slot_until_its_outcome_is_recorded() throws Exception {
        var recorded = new CompletableFuture<LedgerWriter.Result>();
        var slow = new ScriptedLedger() {
            @Override
            public CompletionStage<LedgerWriter.Result> apply(LedgerChange change) {
                changes.add(change);
                return recorded;
            }
        };
        var held = executor(slow);

        var first = held.run(work(push(), 0, 7));
        var second = held.run(work(push(), 0, 8));
        var third = held.run(work(push(), 0, 9));

        assertThat(slow.claimed)
                .as("two slots: the third waits for one before it is claimed")
                .hasSize(2);
        recorded.complete(LedgerWriter.Result.APPLIED);
        first.toCompletableFuture().get(10, TimeUnit.SECONDS);
        second.toCompletableFuture().get(10, TimeUnit.SECONDS);
        third.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(slow.claimed).hasSize(3);
    }
}
