package io.herald.guarantees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.testing.StallingProxy;
import io.herald.testing.TestInfrastructure;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guarantee suite's faults of ownership: a worker frozen past its session timeout that comes back (a zombie), a
 * worker killed while retries are in flight, the database refusing while partitions are assigned, a partition lost
 * and assigned again while its calls still run, a worker cut off from the database inside a transaction and then
 * killed. Workers are JVMs of their own; the sandbox's journal and the ledger
 * are the witnesses.
 */
@Tag("guarantee")
@Timeout(420)
class FencingIT {
    private final WorkerHarness herald = new WorkerHarness()
            .with("HERALD_MAX_IN_FLIGHT", "200")
            .with("HERALD_RETRY_BACKOFF_MS", "200")
            .with("HERALD_RETRY_MAX_BACKOFF_MS", "2000");

    @AfterEach
    void stop() {
        herald.close();
    }

    private void awaitEnded(String scenario, long atLeast, Duration within) {
        Witness.awaitEnded(herald, scenario, atLeast, within, Duration.ofMillis(100));
    }

    @Test
    void a_worker_frozen_past_its_session_timeout_comes_back_without_doubling_losing_or_reordering() {
        int burst = 10_000;
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        var zombie = herald.startWorkerProcess("zombie-1");
        herald.startWorkerProcess("zombie-2");
        herald.sendAll(Witness.burst("zombie", burst, 1_000));
        awaitEnded("zombie", 2_000, Duration.ofSeconds(120));

        zombie.suspend();
        long frozenAt = System.nanoTime();
        sleep(Duration.ofSeconds(25));
        zombie.resume();
        awaitEnded("zombie", burst, Duration.ofSeconds(240));

        var tally = Witness.tally(herald, "zombie", burst, (System.nanoTime() - frozenAt) / 1e9);
        assertThat(tally.falseDeadLetters())
                .as("commands OneAll carried out that were recorded dead-lettered")
                .isZero();
        assertThat(tally.falseUnknowns())
                .as("unknown outcomes OneAll never received: the thawed worker says what it held back")
                .isZero();
        assertThat(tally.maxCalls()).as("calls of one command").isLessThanOrEqualTo(2);
        assertThat(zombie.alive()).as("the thawed worker goes on").isTrue();
    }

    @Test
    void a_worker_killed_while_retries_are_in_flight_leaves_no_command_in_flight_and_none_called_a_third_time() {
        int burst = 300;
        var commands = Witness.burst("retry", burst, burst);
        var faults = Faults.NONE;
        for (var json : commands) {
            faults = faults.withRule(FaultRule.failFirst(identityOf(json), 1, 503));
        }
        herald.sandbox().setFaults(faults);
        var first = herald.with("HERALD_RETRY_BACKOFF_MS", "16000")
                .with("HERALD_RETRY_MAX_BACKOFF_MS", "16000")
                .startWorkerProcess("retry-1");
        // each 503 goes between commands OneAll answers at once, so that the 503s never make 20 failures in a row and
        // the outage breaker stays closed: a breaker that opened would hold the first calls back one trial at a time
        var fillers = Witness.burst("filler", burst, burst);
        var interleaved = new java.util.ArrayList<String>();
        for (int i = 0; i < burst; i++) {
            interleaved.add(commands.get(i));
            interleaved.add(fillers.get(i));
        }
        herald.sendAll(interleaved);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count(
                                "SELECT count(*) FROM commands WHERE command_id LIKE 'retry-%' AND attempts = 1 AND status = 'pending'")
                        >= burst * 9 / 10);
        // setting faults starts their rules' counters again: the slow phase has no rule left. The retries are due
        // 8 to 16 s after their 503 (equal jitter), spread further by how the first calls went out (up to 7 s on a
        // loaded machine), so that none is due before this slow phase starts; answers take 12 s (under the 15 s call
        // timeout) so that the retries overlap and most are in flight at once
        herald.sandbox().setFaults(Faults.NONE.withLatency(12_000, 0));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count(
                                "SELECT count(*) FROM commands WHERE command_id LIKE 'retry-%' AND attempts = 2 AND status = 'in_flight'")
                        >= burst / 2);

        first.kill();
        long inFlightAtKill =
                herald.count("SELECT count(*) FROM commands WHERE command_id LIKE 'retry-%' AND status = 'in_flight'");
        herald.sandbox().setFaults(Faults.NONE);
        herald.startWorkerProcess("retry-2");
        awaitEnded("retry", burst, Duration.ofSeconds(180));

        var tally = Witness.tally(herald, "retry", burst, -1);
        assertThat(
                        herald.count(
                                "SELECT count(*) FROM commands WHERE command_id LIKE 'retry-%' AND status IN ('pending', 'in_flight')"))
                .as("stuck in flight or pending")
                .isZero();
        assertThat(tally.maxCalls())
                .as("calls of one command: the 503 and the lost retry, never a third")
                .isLessThanOrEqualTo(2);
        assertThat(inFlightAtKill).as("retries in flight at the kill").isGreaterThanOrEqualTo(burst / 2);
        Witness.assertFalseUnknownsOfAKill(tally, inFlightAtKill);
        System.out.printf(
                "GUARANTEE retries in flight: %d in flight at the kill, %d dead-lettered as unknown outcomes, at most %d calls"
                        + " of one command%n",
                inFlightAtKill, tally.unknown(), tally.maxCalls());
    }

    @Test
    void the_database_refusing_connections_while_partitions_are_assigned_delays_consumption_which_resumes_by_itself() {
        var database = TestInfrastructure.get().embeddedDatabase();
        Assumptions.assumeTrue(database.isPresent(), "needs the embedded PostgreSQL, which a test can stop");
        int burst = 3_000;
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        var first = herald.startWorkerProcess("assign-1");
        var second = herald.startWorkerProcess("assign-2");
        herald.sendAll(Witness.burst("assign", burst, 300));
        awaitEnded("assign", 500, Duration.ofSeconds(60));

        database.get().stop();
        first.kill();
        sleep(Duration.ofSeconds(15));
        assertThat(second.live())
                .as("the consumer survives assignments it cannot take over yet")
                .isTrue();
        long restartedAt = System.nanoTime();
        database.get().restart();
        awaitEnded("assign", burst, Duration.ofSeconds(180));

        var tally = Witness.tally(herald, "assign", burst, (System.nanoTime() - restartedAt) / 1e9);
        assertThat(second.alive()).isTrue();
        assertThat(tally.maxCalls()).isLessThanOrEqualTo(2);
    }

    @Test
    void a_partition_lost_and_assigned_again_while_its_calls_still_run_keeps_every_promise() {
        int burst = 2_000;
        herald.sandbox().setFaults(Faults.NONE.withLatency(1_500, 500));
        var worker = herald.startWorkerProcess("again-1");
        herald.sendAll(Witness.burst("again", burst, 400));
        awaitEnded("again", 300, Duration.ofSeconds(60));

        // longer than the 10 s session timeout, so the partitions are lost and assigned again; short enough that a
        // call sent just before the freeze (at most 2 s of latency) is answered before its 15 s timeout runs out
        worker.suspend();
        sleep(Duration.ofSeconds(12));
        worker.resume();
        awaitEnded("again", burst, Duration.ofSeconds(180));

        var tally = Witness.tally(herald, "again", burst, -1);
        assertThat(tally.deadLettered())
                .as("calls that ran across the handover ended as what they were")
                .isZero();
        assertThat(tally.maxCalls()).as("calls of one command").isEqualTo(1);
    }

    /**
     * The database's side of a dead worker's connections stays open (a network cut, a node that died): the transaction
     * it had open, and the partitions' fence locks it holds, go when PostgreSQL ends the session for sitting idle in it
     * (HERALD_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, 10 s), not when TCP keepalive gives up two hours later.
     */
    @Test
    void a_worker_cut_off_from_the_database_inside_a_transaction_and_then_killed_leaves_its_partitions_within_a_minute()
            throws InterruptedException {
        int burst = 1_500;
        var bound = Duration.ofSeconds(60);
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        try (var proxy = new StallingProxy(herald.databaseUrl())) {
            var cut = herald.with("HERALD_DATABASE_URL", proxy.url(herald.databaseUrl()))
                    .startWorkerProcess("cut-1");
            herald.with("HERALD_DATABASE_URL", herald.databaseUrl()).startWorkerProcess("cut-2");
            herald.sendAll(Witness.burst("cut", burst, 300));
            awaitEnded("cut", 300, Duration.ofSeconds(60));

            proxy.stallInTransaction();
            assertThat(proxy.awaitStalled(30))
                    .as("the cut worker was inside a transaction")
                    .isTrue();
            var proxied = "client_port IN ("
                    + String.join(
                            ",",
                            proxy.upstreamPorts().stream().map(String::valueOf).toList()) + ")";
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> herald.count("SELECT count(*) FROM pg_stat_activity WHERE " + proxied
                                    + " AND state = 'idle in transaction'")
                            >= 1);
            cut.kill();
            long killedAt = System.nanoTime();
            awaitEnded("cut", burst, bound);
            double seconds = (System.nanoTime() - killedAt) / 1e9;

            var tally = Witness.tally(herald, "cut", burst, seconds);
            assertThat(herald.count("SELECT count(*) FROM pg_stat_activity WHERE " + proxied
                            + " AND state LIKE 'idle in transaction%'"))
                    .as("transactions of the dead worker still open")
                    .isZero();
            System.out.printf(
                    "GUARANTEE cut off inside a transaction, then killed: every command ended %.1f s after the kill"
                            + " (bound %d s), %d doubled, %d unknown outcomes%n",
                    seconds, bound.toSeconds(), tally.doubled(), tally.unknown());
        }
    }

    private static String identityOf(String json) {
        var start = json.indexOf("\"identity_token\":\"") + "\"identity_token\":\"".length();
        return json.substring(start, json.indexOf('"', start));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
