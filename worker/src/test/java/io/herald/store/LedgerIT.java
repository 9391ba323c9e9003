package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import io.herald.command.Event;
import io.herald.store.jdbc.Jdbc;
import io.herald.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fenced ledger on a real PostgreSQL: every write kind, its guard, its fence, and what a claim finds. */
@Timeout(120)
class LedgerIT {
    private static final String TOPIC = "commands";
    private final DataSource dataSource = TestInfrastructure.get().newMigratedDatabase();
    private final Jdbc jdbc = new Jdbc(dataSource);
    private final List<OutboxRelayItem> sent = new ArrayList<>();
    private final LedgerWriter ledger = new LedgerWriter(dataSource, sent::addAll, nanos -> {});
    private final Leases leases = new Leases(dataSource, "w1");
    /** The group generation of each takeover: every one is a later assignment. */
    private int generation;

    @AfterEach
    void close() {
        ledger.close();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** What a claim found, as the executor reads it: a row that stopped the claim ranked by the clock's now. */
    private static Event claimed(CompletionStage<Event> claim) throws Exception {
        var event = await(claim);
        return event instanceof Event.Found found ? found.meaning(java.time.Instant.now()) : event;
    }

    private long takeOver(int partition) throws Exception {
        return leases.takeOver(TOPIC, partition, ++generation, Duration.ofMinutes(10))
                .epoch();
    }

    private static CommandRef push(String id, String account) {
        return new CommandRef(id, "push", account, null, "twitter/post", null);
    }

    private static ClaimRequest claim(CommandRef command, long epoch, String token) {
        return new ClaimRequest(command, new Source(TOPIC, 0, 1, epoch), token, null, null);
    }

    private String status(String id) throws Exception {
        return jdbc.queryOne("SELECT status FROM commands WHERE command_id = ?", row -> row.getString(1), id)
                .orElse(null);
    }

    @Test
    void a_claim_makes_the_command_in_flight_once_and_tells_what_a_second_claim_finds() throws Exception {
        long epoch = takeOver(0);
        var command = push("c1", "a");

        assertThat(claimed(ledger.claim(claim(command, epoch, "w1:1")))).isEqualTo(new Event.Claimed(1, null, 0));
        assertThat(claimed(ledger.claim(claim(command, epoch, "w1:1"))))
                .as("the same claim, retried after a lost acknowledgement")
                .isEqualTo(new Event.Claimed(1, null, 0));
        assertThat(claimed(ledger.claim(claim(command, epoch, "w2:1"))))
                .isInstanceOfSatisfying(Event.FoundInFlight.class, found -> {
                    assertThat(found.claimedBy()).isEqualTo("w1:1");
                    assertThat(found.age()).isLessThan(Duration.ofSeconds(10));
                });
        assertThat(status("c1")).isEqualTo("in_flight");
    }

    @Test
    void a_raised_epoch_fences_the_old_owners_claims_and_parks_but_not_the_outcome_of_its_claim() throws Exception {
        long old = takeOver(0);
        var command = push("c2", "a");
        assertThat(claimed(ledger.claim(claim(command, old, "w1:1")))).isInstanceOf(Event.Claimed.class);

        long epoch = takeOver(0);

        assertThat(epoch).isGreaterThan(old);
        assertThat(claimed(ledger.claim(claim(push("c3", "b"), old, "w1:2")))).isEqualTo(new Event.Fenced());
        assertThat(await(ledger.park(new ParkRequest(
                        push("c4", "a"), new Source(TOPIC, 0, 2, old), bytes("c4"), null, false, true))))
                .isEqualTo(LedgerWriter.Result.FENCED);
        var success = LedgerChange.ended(
                command, new Source(TOPIC, 0, 1, old), new LedgerChange.Guard.Claim("w1:1"), CommandStatus.SUCCEEDED);
        assertThat(await(ledger.apply(success)))
                .as("a call that took effect is recorded, whoever owns the partition now")
                .isEqualTo(LedgerWriter.Result.APPLIED);
        assertThat(status("c2")).isEqualTo("succeeded");
        assertThat(status("c3")).isNull();
    }

    @Test
    void a_retry_recorded_after_the_partition_moved_is_kept_but_not_parked_and_the_next_claim_waits_for_it()
            throws Exception {
        long old = takeOver(0);
        var command = push("c5", "a");
        claimed(ledger.claim(claim(command, old, "w1:1")));
        long epoch = takeOver(0);
        var due = Instant.now().plusSeconds(60);
        var retry = LedgerChange.waiting(
                        command, new Source(TOPIC, 0, 1, old), new LedgerChange.Guard.Claim("w1:1"), due)
                .withError("503", ErrorClass.TRANSIENT)
                .parked(new LedgerChange.Park(bytes("c5"), due, false));

        assertThat(await(ledger.apply(retry))).isEqualTo(LedgerWriter.Result.APPLIED_NOT_PARKED);
        assertThat(claimed(ledger.claim(claim(command, epoch, "w2:1"))))
                .isInstanceOfSatisfying(Event.NotYetDue.class, wait -> {
                    assertThat(wait.at())
                            .isCloseTo(
                                    due,
                                    org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.SECONDS));
                    assertThat(wait.scheduled()).isFalse();
                });
    }

    @Test
    void an_outcome_whose_claim_is_gone_is_fenced() throws Exception {
        long epoch = takeOver(0);
        var command = push("c6", "a");
        claimed(ledger.claim(claim(command, epoch, "w1:1")));
        var lost = LedgerChange.ended(
                        command,
                        new Source(TOPIC, 0, 1, epoch),
                        new LedgerChange.Guard.Claim("w1:1"),
                        CommandStatus.DEAD_LETTERED)
                .withError("lost", ErrorClass.UNKNOWN_OUTCOME);
        assertThat(await(ledger.apply(lost))).isEqualTo(LedgerWriter.Result.APPLIED);

        var late = LedgerChange.ended(
                command, new Source(TOPIC, 0, 1, epoch), new LedgerChange.Guard.Claim("w1:1"), CommandStatus.SUCCEEDED);
        assertThat(await(ledger.apply(late))).isEqualTo(LedgerWriter.Result.FENCED);
        var correction = LedgerChange.ended(
                command, new Source(TOPIC, 0, 1, epoch), new LedgerChange.Guard.LostCall(1), CommandStatus.SUCCEEDED);
        assertThat(await(ledger.apply(correction)))
                .as("the late answer corrects the unknown outcome of that attempt")
                .isEqualTo(LedgerWriter.Result.APPLIED);
        assertThat(status("c6")).isEqualTo("succeeded");
    }

    @Test
    void a_call_held_back_unsent_returns_the_unknown_outcome_of_its_own_attempt_once_and_nothing_newer()
            throws Exception {
        long epoch = takeOver(0);
        var command = push("c7", "a");
        var source = new Source(TOPIC, 0, 1, epoch);
        claimed(ledger.claim(claim(command, epoch, "w1:1")));
        // another worker counted the claim lost and dead-lettered it as an unknown outcome of attempt 1
        await(ledger.apply(
                LedgerChange.ended(command, source, new LedgerChange.Guard.Claim("w1:1"), CommandStatus.DEAD_LETTERED)
                        .withError("lost", ErrorClass.UNKNOWN_OUTCOME)));
        var wrongAttempt = LedgerChange.reopened(command, source, new LedgerChange.Guard.Unsent(2), true)
                .withError("attempt 2 was never sent", null);
        assertThat(await(ledger.apply(wrongAttempt))).isEqualTo(LedgerWriter.Result.FENCED);

        var unsent = LedgerChange.reopened(command, source, new LedgerChange.Guard.Unsent(1), true)
                .withError("attempt 1 was never sent", null);
        assertThat(await(ledger.apply(unsent))).isEqualTo(LedgerWriter.Result.APPLIED);
        assertThat(status("c7")).isEqualTo("pending");

        // claimed and sent again: the same not-sent record, late, changes nothing
        claimed(ledger.claim(claim(command, epoch, "w2:1")));
        assertThat(await(ledger.apply(LedgerChange.reopened(command, source, new LedgerChange.Guard.Unsent(1), true)
                        .withError("attempt 1 was never sent", null))))
                .isEqualTo(LedgerWriter.Result.FENCED);
        assertThat(status("c7")).isEqualTo("in_flight");
    }

    @Test
    void an_account_with_a_parked_command_parks_its_later_ones_behind_in_order_and_a_duplicate_keeps_its_place()
            throws Exception {
        long epoch = takeOver(0);
        var head = push("h", "acct");
        claimed(ledger.claim(claim(head, epoch, "w1:1")));
        var due = Instant.now().minusSeconds(1);
        await(ledger.apply(
                LedgerChange.waiting(head, new Source(TOPIC, 0, 1, epoch), new LedgerChange.Guard.Claim("w1:1"), due)
                        .parked(new LedgerChange.Park(bytes("h"), due, false))));

        assertThat(claimed(ledger.claim(claim(push("n1", "acct"), epoch, "w1:2"))))
                .isEqualTo(new Event.AccountWaiting());
        for (var id : List.of("n1", "n2", "n1")) {
            await(ledger.park(
                    new ParkRequest(push(id, "acct"), new Source(TOPIC, 0, 3, epoch), bytes(id), null, false, true)));
        }

        var parked = new ParkedCommands(dataSource).account(TOPIC, 0, "acct", 10, Long.MAX_VALUE);
        assertThat(parked).extracting(ParkedCommands.Parked::commandId).containsExactly("h", "n1", "n2");
        long first = parked.get(0).payload().length;
        assertThat(new ParkedCommands(dataSource).account(TOPIC, 0, "acct", 10, first + 1))
                .as("a page stops once the payloads before a command reach its bytes")
                .extracting(ParkedCommands.Parked::commandId)
                .containsExactly("h", "n1");
        assertThat(new ParkedCommands(dataSource).account(TOPIC, 0, "acct", 10, 1))
                .as("the first comes however large")
                .extracting(ParkedCommands.Parked::commandId)
                .containsExactly("h");
        assertThat(status("n1")).isEqualTo("pending");
        var takeover = leases.takeOver(TOPIC, 0, ++generation, Duration.ofMinutes(10));
        assertThat(takeover.accounts()).containsOnlyKeys("acct");
    }

    @Test
    void a_scheduled_command_waits_on_its_own_and_comes_due_without_holding_its_account() throws Exception {
        long epoch = takeOver(0);
        var at = Instant.now().plusSeconds(300);
        var scheduled = new ClaimRequest(push("s1", "acct"), new Source(TOPIC, 0, 1, epoch), "w1:1", at, null);

        assertThat(claimed(ledger.claim(scheduled))).isInstanceOf(Event.NotYetDue.class);
        await(ledger.park(
                new ParkRequest(push("s1", "acct"), new Source(TOPIC, 0, 1, epoch), bytes("s1"), at, true, false)));

        assertThat(claimed(ledger.claim(claim(push("other", "acct"), epoch, "w1:2"))))
                .as("the account is free")
                .isInstanceOf(Event.Claimed.class);
        assertThat(leases.scheduled(TOPIC, 0, Duration.ofMinutes(10)))
                .extracting(Leases.Scheduled::commandId)
                .containsExactly("s1");
        assertThat(status("s1")).isEqualTo("pending");
    }

    @Test
    void a_scheduled_command_of_an_account_that_waits_is_found_not_yet_due_instead_of_parked_behind() throws Exception {
        long epoch = takeOver(0);
        var head = push("h2", "acct2");
        claimed(ledger.claim(claim(head, epoch, "w1:1")));
        var retryAt = Instant.now().plusSeconds(60);
        await(ledger.apply(LedgerChange.waiting(
                        head, new Source(TOPIC, 0, 1, epoch), new LedgerChange.Guard.Claim("w1:1"), retryAt)
                .parked(new LedgerChange.Park(bytes("h2"), retryAt, false))));
        var at = Instant.now().plusSeconds(300);

        var found = claimed(
                ledger.claim(new ClaimRequest(push("s2", "acct2"), new Source(TOPIC, 0, 2, epoch), "w1:2", at, null)));

        assertThat(found).isEqualTo(new Event.NotYetDue(at, true));
    }

    @Test
    void an_ended_command_leaves_the_parking_table_with_its_dead_letter_and_events_in_the_outbox() throws Exception {
        long epoch = takeOver(0);
        var command = push("d1", "acct");
        claimed(ledger.claim(claim(command, epoch, "w1:1")));
        var change = LedgerChange.ended(
                        command,
                        new Source(TOPIC, 0, 1, epoch),
                        new LedgerChange.Guard.Claim("w1:1"),
                        CommandStatus.DEAD_LETTERED)
                .withError("404", ErrorClass.PERMANENT)
                .withDeadLetter(new LedgerChange.DeadLetterRow(
                        null,
                        bytes("d1"),
                        "{}",
                        ErrorClass.PERMANENT,
                        "404",
                        404,
                        1,
                        Instant.now(),
                        RecordHeaders.NONE))
                .announcing(new OutboxMessage(
                        "dlt", null, bytes("d1"), java.util.Map.of("herald-error-class", "permanent")))
                .announcing(new OutboxMessage("outcomes", bytes("d1"), bytes("{}"), null));

        await(ledger.apply(change));

        assertThat(sent).extracting(item -> item.message().topic()).containsExactly("dlt", "outcomes");
        assertThat(jdbc.queryOne("SELECT count(*) FROM outbox", row -> row.getLong(1)))
                .contains(2L);
        assertThat(jdbc.queryOne("SELECT count(*) FROM dead_letters WHERE command_id = 'd1'", row -> row.getLong(1)))
                .contains(1L);
        new OutboxStore(dataSource)
                .delete(sent.stream().map(OutboxRelayItem::id).toList());
        assertThat(jdbc.queryOne("SELECT count(*) FROM outbox", row -> row.getLong(1)))
                .contains(0L);
    }

    @Test
    void a_command_that_was_never_claimed_is_inserted_ended_and_a_pending_one_ends_once() throws Exception {
        var invalid = LedgerChange.ended(
                        new CommandRef("bad", "unknown", "", null, null, null),
                        new Source(TOPIC, 0, 9, 0),
                        new LedgerChange.Guard.Pending(),
                        CommandStatus.DEAD_LETTERED)
                .withError("not JSON", ErrorClass.INVALID);

        assertThat(await(ledger.apply(invalid))).isEqualTo(LedgerWriter.Result.APPLIED);
        assertThat(status("bad")).isEqualTo("dead_lettered");
        var again = LedgerChange.ended(
                new CommandRef("bad", "unknown", "", null, null, null),
                new Source(TOPIC, 0, 9, 0),
                new LedgerChange.Guard.Pending(),
                CommandStatus.CANCELLED);
        assertThat(await(ledger.apply(again)))
                .as("an ended command does not change")
                .isEqualTo(LedgerWriter.Result.FENCED);
    }

    @Test
    void a_write_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_written() throws Exception {
        long epoch = takeOver(0);
        var good = push("g", "a");
        var bad = push("b", "b");
        claimed(ledger.claim(claim(good, epoch, "w1:1")));
        claimed(ledger.claim(claim(bad, epoch, "w1:2")));
        var nul = new ObjectMapper().createObjectNode().put("post_id", "1\u00002");
        var refused = ledger.apply(LedgerChange.ended(
                        bad,
                        new Source(TOPIC, 0, 1, epoch),
                        new LedgerChange.Guard.Claim("w1:2"),
                        CommandStatus.SUCCEEDED)
                .withResult(nul));
        var written = ledger.apply(LedgerChange.ended(
                good, new Source(TOPIC, 0, 1, epoch), new LedgerChange.Guard.Claim("w1:1"), CommandStatus.SUCCEEDED));

        assertThat(await(written)).isEqualTo(LedgerWriter.Result.APPLIED);
        assertThatThrownBy(() -> await(refused)).hasCauseInstanceOf(WriteRefusedException.class);
        assertThat(refusal(refused).refusesItsData())
                .as("a NUL in jsonb is the data's fault")
                .isTrue();
        assertThat(status("g")).isEqualTo("succeeded");
        assertThat(status("b")).isEqualTo("in_flight");
    }

    @Test
    void a_nul_in_text_and_a_key_too_large_for_its_index_are_refused_as_the_datas_fault() throws Exception {
        var random = new java.util.Random(3);
        var bytes = new byte[2_400];
        random.nextBytes(bytes);
        // 3,200 characters that PostgreSQL cannot compress below the btree row maximum (2,704 bytes)
        var incompressible = java.util.Base64.getEncoder().encodeToString(bytes);
        var nul = ledger.apply(invalidRow("nul", "a\u0000b"));
        var large = ledger.apply(invalidRow("large", incompressible));
        var fine = ledger.apply(invalidRow("fine", "a-key"));

        assertThat(await(fine)).isEqualTo(LedgerWriter.Result.APPLIED);
        assertThat(refusal(nul).sqlState()).isEqualTo("22021");
        assertThat(refusal(large).sqlState()).isEqualTo("54000");
        assertThat(refusal(nul).refusesItsData()).isTrue();
        assertThat(refusal(large).refusesItsData()).isTrue();
        assertThat(refusal(large).reason()).startsWith("SQLSTATE 54000: ERROR: index row");
        assertThat(status("fine")).isEqualTo("dead_lettered");
        assertThat(status("nul")).isNull();
    }

    private static LedgerChange invalidRow(String id, String routingKey) {
        return LedgerChange.ended(
                        new CommandRef(id, "unknown", routingKey, null, null, null),
                        new Source(TOPIC, 0, 1, 1),
                        new LedgerChange.Guard.Pending(),
                        CommandStatus.DEAD_LETTERED)
                .withError("invalid", ErrorClass.INVALID);
    }

    private static WriteRefusedException refusal(CompletionStage<?> stage) {
        var failure = org.assertj.core.api.Assertions.catchThrowable(() -> await(stage));
        assertThat(failure).hasCauseInstanceOf(WriteRefusedException.class);
        return (WriteRefusedException) failure.getCause();
    }

    @Test
    void a_held_identity_holds_its_fresh_commands_until_resumed() throws Exception {
        long epoch = takeOver(0);
        var command = push("held-1", "ident");
        claimed(ledger.claim(claim(command, epoch, "w1:1")));
        var until = Instant.now().plusSeconds(3600);
        await(ledger.apply(LedgerChange.waiting(
                        command, new Source(TOPIC, 0, 1, epoch), new LedgerChange.Guard.Claim("w1:1"), until)
                .parked(new LedgerChange.Park(bytes("held-1"), until, false))
                .holdingIdentity(new LedgerChange.IdentityHoldRow("ident", "held-1", 401, "revoked", until))));

        assertThat(claimed(ledger.claim(claim(push("held-2", "ident"), epoch, "w1:2"))))
                .isEqualTo(new Event.AccountWaiting());
        var holds = new IdentityHolds(dataSource);
        assertThat(holds.held()).singleElement().satisfies(hold -> {
            assertThat(hold.routingKey()).isEqualTo("ident");
            assertThat(hold.waiting()).isEqualTo(1);
        });
        assertThat(holds.resume("ident", "test")).isTrue();
        var head = new ClaimRequest(
                command,
                new Source(TOPIC, 0, 1, epoch),
                "w1:3",
                null,
                new ParkedCommands(dataSource)
                        .account(TOPIC, 0, "ident", 1, Long.MAX_VALUE)
                        .get(0)
                        .position());
        assertThat(claimed(ledger.claim(head))).isInstanceOf(Event.Claimed.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
