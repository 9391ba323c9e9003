package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import io.herald.store.jdbc.Jdbc;
import io.herald.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records dead-lettered beside the command whose id they name, on a real PostgreSQL: an invalid record under the id of
 * another record's command leaves that command as it is, whatever its state, and a record delivered again (the same
 * place) writes no second letter, nor a second dead-letter topic record.
 */
@Timeout(120)
class BesideLettersIT {
    private static final String TOPIC = "commands";
    private final DataSource dataSource = TestInfrastructure.get().newMigratedDatabase();
    private final Jdbc jdbc = new Jdbc(dataSource);
    private final List<OutboxRelayItem> sent = new ArrayList<>();
    private final LedgerWriter ledger = new LedgerWriter(dataSource, sent::addAll, nanos -> {});
    private final Leases leases = new Leases(dataSource, "w1");

    @AfterEach
    void close() {
        ledger.close();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CommandRef push(String id) {
        return new CommandRef(id, "push", "acct", null, "twitter/post", null, bytes("digest-" + id));
    }

    /** A dead letter of the record at {@code offset}, and its dead-letter topic record. */
    private static LedgerChange lettered(LedgerChange change, long offset, String reason) {
        return change.withDeadLetter(new LedgerChange.DeadLetterRow(
                        null,
                        bytes("garbage@" + offset),
                        "{}",
                        ErrorClass.INVALID,
                        reason,
                        null,
                        0,
                        Instant.now(),
                        RecordHeaders.NONE))
                .announcing(new OutboxMessage("dlt", null, bytes("garbage@" + offset), Map.of()));
    }

    /** An invalid record at {@code offset} naming {@code id}, as {@code InvalidRecords} builds it. */
    private static LedgerChange invalid(String id, long offset, boolean parked) {
        var ref = new CommandRef(id, "unknown", "acct", null, null, null);
        var source = new Source(TOPIC, 0, offset, 0);
        var beside = lettered(LedgerChange.beside(ref, source, parked), offset, "invalid; the ledger has " + id);
        return lettered(LedgerChange.invalid(ref, source, parked, beside), offset, "invalid")
                .withError("invalid", ErrorClass.INVALID)
                .announcing(new OutboxMessage("outcomes", bytes(id), bytes("{}"), Map.of()));
    }

    private String row(String id) throws Exception {
        return jdbc.queryOne(
                        "SELECT concat_ws(' ', status, attempts, last_error_class, next_attempt_at, updated_at)"
                                + " FROM commands WHERE command_id = ?",
                        rows -> rows.getString(1),
                        id)
                .orElse(null);
    }

    private long count(String sql, Object... args) throws Exception {
        return jdbc.queryOne(sql, rows -> rows.getLong(1), args).orElse(0L);
    }

    private List<String> topicsSent() {
        return sent.stream().map(item -> item.message().topic()).toList();
    }

    /** Claims {@code id} at offset 1 and records its outcome under the claim. */
    private void recorded(String id, LedgerChange outcome) throws Exception {
        assertThat(await(ledger.claim(new ClaimRequest(outcome.command(), outcome.source, "w1:1", null, null))))
                .isInstanceOf(io.herald.command.Event.Claimed.class);
        assertThat(await(ledger.apply(outcome))).isEqualTo(LedgerWriter.Result.APPLIED);
        sent.clear();
    }

    @Test
    void an_invalid_record_under_a_succeeded_commands_id_is_dead_lettered_beside_it_once_per_place() throws Exception {
        long epoch = leases.takeOver(TOPIC, 0, 1, Duration.ofMinutes(10)).epoch();
        var source = new Source(TOPIC, 0, 1, epoch);
        recorded(
                "s1",
                LedgerChange.ended(push("s1"), source, new LedgerChange.Guard.Claim("w1:1"), CommandStatus.SUCCEEDED));
        var before = row("s1");

        assertThat(await(ledger.apply(invalid("s1", 7, false)))).isEqualTo(LedgerWriter.Result.APPLIED);
        assertThat(await(ledger.apply(invalid("s1", 7, false))))
                .as("the same record delivered again")
                .isEqualTo(LedgerWriter.Result.APPLIED);

        assertThat(row("s1")).as("the command's row").isEqualTo(before).startsWith("succeeded 1 ");
        assertThat(count("SELECT count(*) FROM dead_letters WHERE command_id = 's1' AND error_class = 'invalid'"
                        + " AND original_offset = 7 AND attempts = 0 AND attempt_history IS NULL"
                        + " AND error = 'invalid; the ledger has s1'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM dead_letters")).isEqualTo(1);
        assertThat(topicsSent())
                .as("one dead-letter topic record, no outcome event")
                .containsExactly("dlt");
    }

    @Test
    void an_invalid_record_under_the_id_of_a_command_waiting_for_its_retry_leaves_it_waiting() throws Exception {
        long epoch = leases.takeOver(TOPIC, 0, 1, Duration.ofMinutes(10)).epoch();
        var source = new Source(TOPIC, 0, 1, epoch);
        var due = Instant.now().plusSeconds(600);
        recorded(
                "w1",
                LedgerChange.waiting(push("w1"), source, new LedgerChange.Guard.Claim("w1:1"), due)
                        .withError("503", ErrorClass.TRANSIENT)
                        .parked(new LedgerChange.Park(bytes("w1"), due, false)));
        var before = row("w1");

        assertThat(await(ledger.apply(invalid("w1", 8, false)))).isEqualTo(LedgerWriter.Result.APPLIED);

        assertThat(row("w1")).isEqualTo(before).startsWith("pending 1 transient ");
        assertThat(count("SELECT count(*) FROM parked WHERE command_id = 'w1' AND source_offset = 1"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM dead_letters WHERE command_id = 'w1' AND original_offset = 8"))
                .isEqualTo(1);
        assertThat(topicsSent()).containsExactly("dlt");
    }

    @Test
    void an_invalid_record_with_a_new_id_ends_it_once_and_delivered_again_writes_nothing() throws Exception {
        assertThat(await(ledger.apply(invalid("n1", 3, false)))).isEqualTo(LedgerWriter.Result.APPLIED);
        var ended = row("n1");
        assertThat(await(ledger.apply(invalid("n1", 3, false))))
                .as("its own row ended: recorded by the earlier delivery")
                .isEqualTo(LedgerWriter.Result.FENCED);
        assertThat(await(ledger.apply(invalid("n1", 4, false))))
                .as("another record under its id")
                .isEqualTo(LedgerWriter.Result.APPLIED);

        assertThat(ended).startsWith("dead_lettered 0 invalid ");
        assertThat(row("n1")).isEqualTo(ended);
        assertThat(jdbc.query(
                        "SELECT concat_ws(' ', original_offset, error) FROM dead_letters ORDER BY id",
                        rows -> rows.getString(1)))
                .containsExactly("3 invalid", "4 invalid; the ledger has n1");
        assertThat(topicsSent()).containsExactly("dlt", "outcomes", "dlt");
    }

    @Test
    void a_parked_record_that_no_longer_reads_ends_its_waiting_command_and_leaves_an_ended_one_as_it_is()
            throws Exception {
        long epoch = leases.takeOver(TOPIC, 0, 1, Duration.ofMinutes(10)).epoch();
        var due = Instant.now().plusSeconds(600);
        await(ledger.park(new ParkRequest(push("p1"), new Source(TOPIC, 0, 1, epoch), bytes("p1"), due, true, false)));
        await(ledger.park(new ParkRequest(push("p2"), new Source(TOPIC, 0, 2, epoch), bytes("p2"), due, true, false)));
        jdbc.update("UPDATE commands SET status = 'succeeded' WHERE command_id = 'p2'");
        var succeeded = row("p2");

        assertThat(await(ledger.apply(invalid("p1", 1, true)))).isEqualTo(LedgerWriter.Result.APPLIED);
        assertThat(await(ledger.apply(invalid("p2", 2, true)))).isEqualTo(LedgerWriter.Result.APPLIED);

        assertThat(row("p1")).as("its own command").startsWith("dead_lettered 0 invalid");
        assertThat(row("p2")).as("another record's command").isEqualTo(succeeded);
        assertThat(count("SELECT count(*) FROM parked")).isZero();
        assertThat(jdbc.query(
                        "SELECT concat_ws(' ', command_id, original_offset, error) FROM dead_letters ORDER BY id",
                        rows -> rows.getString(1)))
                .containsExactly("p1 1 invalid", "p2 2 invalid; the ledger has p2");
        assertThat(topicsSent()).containsExactly("dlt", "outcomes", "dlt");
    }

    @Test
    void a_conflict_letter_is_written_once_when_its_record_is_delivered_again() throws Exception {
        long epoch = leases.takeOver(TOPIC, 0, 1, Duration.ofMinutes(10)).epoch();
        var source = new Source(TOPIC, 0, 1, epoch);
        recorded(
                "c1",
                LedgerChange.ended(push("c1"), source, new LedgerChange.Guard.Claim("w1:1"), CommandStatus.SUCCEEDED));

        for (int delivery = 0; delivery < 2; delivery++) {
            var conflict = lettered(LedgerChange.beside(push("c1"), new Source(TOPIC, 0, 5, epoch), false), 5, "c");
            assertThat(await(ledger.apply(conflict))).isEqualTo(LedgerWriter.Result.APPLIED);
        }
        var other = lettered(LedgerChange.beside(push("c1"), new Source(TOPIC, 0, 6, epoch), false), 6, "c");
        assertThat(await(ledger.apply(other))).isEqualTo(LedgerWriter.Result.APPLIED);

        assertThat(jdbc.query(
                        "SELECT original_offset FROM dead_letters WHERE command_id = 'c1' ORDER BY id",
                        rows -> rows.getLong(1)))
                .as("one letter per place")
                .containsExactly(5L, 6L);
        assertThat(topicsSent()).containsExactly("dlt", "dlt");
        assertThat(row("c1")).startsWith("succeeded 1 ");
    }
}
