package io.herald.guarantees;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.campaign;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.store.DeadLetterStore;
import io.herald.store.Orphans;
import io.herald.testing.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: a command left {@code pending} with nothing to bring it back (a replay that died between reopening the
 * command and producing its record; a campaign part a crash stopped between its fan-out and its end) is brought back by
 * the reaper once {@code HERALD_ORPHAN_AFTER_S} has passed, and ends once; a command that waits for something (a
 * retry due later, a schedule, a replayed record not consumed yet) is left alone.
 */
@Tag("guarantee")
@Timeout(180)
class OrphansIT {
    private static final String METRIC = "herald_orphans_reaped_total";

    private final WorkerHarness herald = new WorkerHarness();
    private final DeadLetterStore letters = new DeadLetterStore(herald.database());

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void commands_left_pending_with_nothing_to_bring_them_back_end_once_and_those_that_wait_are_left_alone()
            throws Exception {
        var lost = token();
        var onTheTopic = token();
        var retrying = token();
        var scheduled = token();
        var users = IntStream.range(0, 5).mapToObj(i -> token()).toList();
        herald.sandbox()
                .setFaults(Faults.NONE
                        .withRule(FaultRule.failAlways(lost, 404))
                        .withRule(FaultRule.failAlways(onTheTopic, 404))
                        .withRule(FaultRule.failFirst(retrying, 1, 503).withRetryAfter(600)));
        herald.with("HERALD_ORPHAN_AFTER_S", "2");
        var worker = herald.startWorker();
        var part = campaign("orphan-part-1", "orphan", 0, users, "Orphans");
        herald.send(
                aPush().withId("orphan-lost").forIdentity(lost).json(),
                aPush().withId("orphan-on-the-topic").forIdentity(onTheTopic).json(),
                aPush().withId("orphan-retrying").forIdentity(retrying).json(),
                aPush().withId("orphan-scheduled")
                        .forIdentity(scheduled)
                        .notBefore(Instant.now().plusSeconds(3600))
                        .json(),
                part);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "dead_lettered".equals(herald.status("orphan-lost"))
                        && "dead_lettered".equals(herald.status("orphan-on-the-topic"))
                        && "succeeded".equals(herald.status("orphan-part-1"))
                        && herald.count("SELECT count(*) FROM parked WHERE command_id IN ('orphan-retrying',"
                                        + " 'orphan-scheduled') AND due_at > now() + interval '5 minutes'")
                                == 2
                        && herald.count("SELECT recipients_ended FROM campaigns WHERE campaign_id = 'orphan'") == 5);
        herald.sandbox().setFaults(Faults.NONE);
        long partEvents = outcomeEvents("orphan-part-1", "succeeded");
        var waiting = waiting();
        int retryCalls = herald.sandbox().journal().forToken(retrying).size();

        // a replay that produced its record, which no worker has consumed yet: reopened and marked, no record yet
        letters.reopen("orphan-on-the-topic");
        letters.markReplayed(letterOf("orphan-on-the-topic"), "test");
        // a replay that died between reopening its command and producing its record
        letters.reopen("orphan-lost");
        // a crash between the part's fannedOut and its end(): the row pending in the parking table, as before its end
        assertThat(herald.count("SELECT count(*) FROM campaign_parts WHERE command_id = 'orphan-part-1'"
                        + " AND state = 'fanned_out'"))
                .isEqualTo(1);
        herald.count("""
                WITH undone AS (UPDATE commands SET status = 'pending', updated_at = now() WHERE command_id = 'orphan-part-1'
                                RETURNING command_id, source_topic, source_partition, routing_key, source_offset)
                INSERT INTO parked (command_id, topic, partition, routing_key, position, due_at, scheduled, source_offset, payload)
                SELECT command_id, source_topic, source_partition, routing_key, nextval('parked_position_seq'), now(), false,
                       source_offset, ? FROM undone RETURNING 1""", (Object) part.getBytes(StandardCharsets.UTF_8));
        assertThat(herald.status("orphan-part-1")).isEqualTo("pending");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> "succeeded".equals(herald.status("orphan-lost"))
                        && "succeeded".equals(herald.status("orphan-part-1")));

        // orphan-on-the-topic was reopened before orphan-lost: the pass that reaped one saw the other past the bound
        assertThat(worker.metrics().counter(METRIC, "kind", "replay")).isEqualTo(1);
        assertThat(worker.metrics().counter(METRIC, "kind", "campaign_part")).isEqualTo(1);
        assertThat(herald.sandbox().journal().forToken(lost))
                .as("calls for the lost replay's command")
                .extracting(Journal.Entry::status)
                .containsExactly(404, 200);
        assertThat(herald.string("SELECT replayed_by || ' ' || replay_count FROM dead_letters"
                        + " WHERE command_id = 'orphan-lost'"))
                .isEqualTo(Orphans.REPLAYED_BY + " 1");
        assertThat(herald.sandbox().journal().entries(Journal.Entry::effect).stream()
                        .filter(entry -> users.contains(entry.token()) || users.contains(entry.target()))
                        .count())
                .as("recipients carried out (one publish, four re-publishes), none again")
                .isEqualTo(5);
        assertThat(herald.count("SELECT count(*) FROM parked WHERE command_id = 'orphan-part-1'"))
                .isZero();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> outcomeEvents("orphan-part-1", "succeeded") == partEvents + 1);

        assertThat(herald.status("orphan-on-the-topic")).isEqualTo("pending");
        assertThat(recordsOnTheCommandsTopic("orphan-on-the-topic"))
                .as("records of the replay whose record is on its way")
                .isEqualTo(1);
        assertThat(herald.sandbox().journal().forToken(onTheTopic)).hasSize(1);
        assertThat(waiting())
                .as("the retry due later and the scheduled command, untouched")
                .isEqualTo(waiting);
        assertThat(waiting).allSatisfy(row -> assertThat(row).contains(" pending "));
        assertThat(herald.sandbox().journal().forToken(retrying)).hasSize(retryCalls);
        assertThat(herald.sandbox().journal().forToken(scheduled)).isEmpty();

        // the record a replay put on the topic comes back by its own path, once
        var letter = letters.findByIds(List.of(letterOf("orphan-on-the-topic")), true)
                .get(0);
        herald.sendRaw(letter.key(), letter.value());
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("orphan-on-the-topic")));
        assertThat(herald.sandbox().journal().forToken(onTheTopic))
                .extracting(Journal.Entry::status)
                .containsExactly(404, 200);
        assertThat(worker.metrics().counterTotal(METRIC)).isEqualTo(2);
    }

    /** The retry due later and the scheduled command as the ledger holds them, parked rows included. */
    private List<String> waiting() {
        return herald.strings(
                "SELECT c.command_id || ' ' || c.status || ' ' || c.attempts || ' ' || c.updated_at || ' ' || p.due_at"
                        + " FROM commands c JOIN parked p ON p.command_id = c.command_id"
                        + " WHERE c.command_id IN ('orphan-retrying', 'orphan-scheduled') ORDER BY c.command_id");
    }

    private long letterOf(String commandId) {
        return herald.count("SELECT max(id) FROM dead_letters WHERE command_id = ?", commandId);
    }

    private long recordsOnTheCommandsTopic(String commandId) {
        return herald.readToEnd(herald.config().kafka().commandsTopic()).stream()
                .filter(record -> WorkerHarness.text(record.value()).contains("\"command_id\":\"" + commandId + "\""))
                .count();
    }

    private long outcomeEvents(String commandId, String status) {
        return herald.readToEnd(herald.config().kafka().outcomesTopic()).stream()
                .map(record -> WorkerHarness.text(record.value()))
                .filter(json -> json.contains("\"command_id\":\"" + commandId + "\"")
                        && json.contains("\"status\":\"" + status + "\""))
                .count();
    }
}
