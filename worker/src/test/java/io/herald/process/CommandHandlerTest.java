package io.herald.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import io.herald.command.Event;
import io.herald.command.Policy;
import io.herald.command.RetryPolicy;
import io.herald.command.Timer;
import io.herald.command.UnknownOutcomePolicy;
import io.herald.command.api.Call;
import io.herald.command.api.CallResult;
import io.herald.config.RateLimits;
import io.herald.consume.Delivery;
import io.herald.consume.Disposition;
import io.herald.observe.Metrics;
import io.herald.oneall.OneAll;
import io.herald.schema.CommandReader;
import io.herald.store.ClaimRequest;
import io.herald.store.Ledger;
import io.herald.store.LedgerChange;
import io.herald.store.LedgerWriter;
import io.herald.store.ParkRequest;
import io.herald.store.WriteRefusedException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What becomes of a consumed record the database refuses: for what it holds, an invalid dead letter of its bytes alone
 * and its offset free; for any other reason, a failure (its offset held back, as for every unexpected failure).
 */
class CommandHandlerTest {
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";
    private static final String PUSH = "{\"command_id\":\"c1\",\"type\":\"push\",\"identity_token\":\"" + IDENTITY
            + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"hi\"}}}";

    /** A ledger whose claims fail as scripted, and which applies every change. */
    private static final class RefusingLedger implements Ledger {
        final ArrayDeque<RuntimeException> claimFailures = new ArrayDeque<>();
        final List<LedgerChange> changes = new ArrayList<>();

        @Override
        public CompletionStage<Event> claim(ClaimRequest request) {
            var failure = claimFailures.poll();
            return failure == null
                    ? CompletableFuture.completedFuture(new Event.Claimed(1, null))
                    : CompletableFuture.failedFuture(failure);
        }

        @Override
        public CompletionStage<LedgerWriter.Result> park(ParkRequest request) {
            return CompletableFuture.completedFuture(LedgerWriter.Result.APPLIED);
        }

        @Override
        public CompletionStage<LedgerWriter.Result> apply(LedgerChange change) {
            changes.add(change);
            return CompletableFuture.completedFuture(LedgerWriter.Result.APPLIED);
        }
    }

    private final RefusingLedger ledger = new RefusingLedger();
    private final List<Call> calls = new ArrayList<>();
    private final CommandHandler handler = handler();

    private CommandHandler handler() {
        Timer timer = (delay, task) -> {};
        OneAll oneall = (call, claimedNanos) -> {
            calls.add(call);
            return CompletableFuture.completedFuture(
                    new CallResult.Answered(200, "success", "ok", null, java.util.Optional.empty()));
        };
        var metrics = new Metrics();
        var slots = new CallSlots(2, RateLimits.NONE, Duration.ofHours(1), Duration.ofMinutes(1), timer, metrics);
        var gate = new CredentialsGate();
        gate.connect(oneall, timer);
        var recording = new Recording("dlt", "outcomes", "w1", Clock.systemUTC());
        var policy = new Policy(
                RetryPolicy.maxAttempts(3).exponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10)),
                UnknownOutcomePolicy.DEAD_LETTER,
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofHours(1));
        var executorMetrics = new ExecutorMetrics(metrics);
        var executor = new Executor(
                new Executor.Peers(
                        ledger,
                        oneall,
                        slots,
                        new LostCalls(oneall, slots, timer, Duration.ofSeconds(30), LostCallsTest.NOTHING_RECORDED),
                        gate),
                new Executor.Rules(policy, recording, timer, Clock.systemUTC(), "w1"),
                new Executor.Observers(
                        executorMetrics, new AttemptTraces(io.herald.observe.Tracing.off(), Clock.systemUTC())));
        return new CommandHandler(executor, null, ledger, null, recording, executorMetrics, Runnable::run);
    }

    private static Delivery delivery(byte[] key, String value) {
        var bytes = value.getBytes(StandardCharsets.UTF_8);
        return new Delivery(
                "t",
                3,
                42,
                key,
                bytes,
                1,
                new CommandReader().read(key, bytes),
                null,
                io.herald.store.RecordHeaders.NONE);
    }

    private static WriteRefusedException refused(String state, String message) {
        return new WriteRefusedException(message, new SQLException(message, state));
    }

    private Disposition handle(Delivery delivery) throws Exception {
        return handler.handle(new io.herald.consume.RecordHandler.Consumed(delivery))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void a_record_refused_for_what_it_holds_is_dead_lettered_invalid_by_its_bytes_and_its_offset_moves_on()
            throws Exception {
        ledger.claimFailures.add(refused("22021", "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00"));
        var key = IDENTITY.getBytes(StandardCharsets.UTF_8);

        assertThat(handle(delivery(key, PUSH))).isEqualTo(Disposition.DONE);

        assertThat(calls).as("nothing sent").isEmpty();
        assertThat(ledger.changes).hasSize(1);
        var change = ledger.changes.get(0);
        assertThat(change.guard()).isEqualTo(new LedgerChange.Guard.None());
        assertThat(change.status()).isEqualTo(CommandStatus.DEAD_LETTERED);
        assertThat(change.command().commandId()).as("no command row").isNull();
        assertThat(change.outbox()).as("the dead letter, no outcome event").hasSize(1);
        var letter = change.deadLetter();
        assertThat(letter.errorClass()).isEqualTo(ErrorClass.INVALID);
        assertThat(letter.key()).isEqualTo(key);
        assertThat(letter.value()).isEqualTo(PUSH.getBytes(StandardCharsets.UTF_8));
        assertThat(letter.error())
                .isEqualTo("command c1 could not be stored; PostgreSQL refused it (SQLSTATE 22021: ERROR: invalid byte"
                        + " sequence for encoding \"UTF8\": 0x00)");
    }

    @Test
    void a_record_refused_for_another_reason_fails_and_is_not_dead_lettered() {
        ledger.claimFailures.add(refused("23505", "ERROR: duplicate key value violates unique constraint"));

        assertThatThrownBy(() -> handle(delivery(null, PUSH)))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(WriteRefusedException.class);
        assertThat(ledger.changes).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void an_invalid_record_whose_key_holds_a_nul_is_dead_lettered_with_its_key_as_a_digest() throws Exception {
        var key = "03939f19\u0000".getBytes(StandardCharsets.UTF_8);

        assertThat(handle(delivery(key, "{\"command_id\":\"x\",\"type\":\"bogus\"}")))
                .isEqualTo(Disposition.DONE);

        var change = ledger.changes.get(0);
        assertThat(change.command().commandId()).isEqualTo("x");
        assertThat(change.command().routingKey()).matches("sha256:[0-9a-f]{64}");
        assertThat(change.deadLetter().key()).isEqualTo(key);
        assertThat(change.deadLetter().error())
                .startsWith("(key): the record's key holds a NUL byte; /type: type 'bogus' is unknown");
    }
}
