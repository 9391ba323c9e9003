package io.herald.guarantees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.Faults;
import io.herald.sandbox.OneAllSandbox;
import io.herald.testing.TestInfrastructure;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guarantee suite: workers in JVMs of their own, broken on purpose mid-burst (SIGKILL, SIGTERM, a
 * rebalance, the broker, the database or OneAll going away), with the sandbox's journal as the witness.
 * Every scenario must end with every command ended, none carried out twice, each account's order kept.
 * Run it alone with {@code ./mvnw -B verify -Dgroups=guarantee}; its figures go to
 * {@code worker/target/guarantees.md}.
 */
@Tag("guarantee")
@Timeout(300)
class CrashAndOutageIT {
    private static final int BURST = 5_000;
    private static final int KEYS = 500;
    private static final int MAX_IN_FLIGHT = 200;

    private final WorkerHarness herald = new WorkerHarness()
            .with("HERALD_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT))
            .with("HERALD_RETRY_BACKOFF_MS", "200")
            .with("HERALD_RETRY_MAX_BACKOFF_MS", "2000");

    @AfterEach
    void stop() {
        herald.close();
    }

    private void awaitEnded(String scenario, long atLeast) {
        Witness.awaitEnded(herald, scenario, atLeast, Duration.ofSeconds(120), Duration.ofMillis(50));
    }

    private double awaitAllEnded(String scenario, long since) {
        Witness.awaitEnded(herald, scenario, BURST, Duration.ofSeconds(180), Duration.ofMillis(100));
        return (System.nanoTime() - since) / 1e9;
    }

    /**
     * How long after {@code since} the count of ended commands grew again, or reached the whole burst: the time the
     * system took to recover. The ledger does not wait for the brokers, so a worker may end every command it had
     * already consumed while the broker restarts.
     */
    private double awaitProgress(String scenario, long since) {
        long before = Witness.ended(herald, scenario);
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    long ended = Witness.ended(herald, scenario);
                    return ended > before || ended == BURST;
                });
        return (System.nanoTime() - since) / 1e9;
    }

    @Test
    void kill_minus_9_mid_burst_leaves_only_counted_unknown_outcomes() {
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        var worker = herald.startWorkerProcess("kill-1");
        herald.sendAll(Witness.burst("kill", BURST, KEYS));
        awaitEnded("kill", 1_500);

        worker.kill();
        long inFlightAtKill =
                herald.count("SELECT count(*) FROM commands WHERE command_id LIKE 'kill-%' AND status = 'in_flight'");
        long killedAt = System.nanoTime();
        herald.startWorkerProcess("kill-2");
        double recovered = awaitProgress("kill", killedAt);
        awaitAllEnded("kill", killedAt);

        var tally = Witness.tally(herald, "kill", BURST, recovered);
        assertThat(tally.unknown())
                .as("unknown outcomes are exactly the commands in flight at the kill")
                .isEqualTo(inFlightAtKill);
        assertThat(inFlightAtKill).as("bounded by the in-flight limit").isLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(tally.deadLettered()).isEqualTo(tally.unknown());
        Witness.assertFalseUnknownsOfAKill(tally, inFlightAtKill);
        assertThat(
                        herald.count(
                                "SELECT count(*) FROM dead_letters WHERE command_id LIKE 'kill-%' AND error_class = 'unknown-outcome'"))
                .isEqualTo(inFlightAtKill);
    }

    @Test
    void a_burst_against_an_api_with_a_short_listen_queue_ends_without_unknown_outcomes() {
        // a front end that completes 5 handshakes before it accepts them: a thousand connections opened at once
        // overflow it, and a request written on a connection it has not accepted yet waits past its timeout
        int burst = 1_000;
        var sandbox = OneAllSandbox.builder().eventLoops(1).acceptBacklog(5).start();
        try (var polite = new WorkerHarness(sandbox)
                .with("HERALD_MAX_IN_FLIGHT", "1000")
                .with("HERALD_ONEALL_MAX_CONNECTIONS", "1000")) {
            sandbox.setFaults(Faults.NONE.withLatency(1_000, 200));
            polite.startWorker();
            polite.sendAll(Witness.burst("listen", burst, burst));
            Witness.awaitEnded(polite, "listen", burst, Duration.ofSeconds(90), Duration.ofMillis(100));

            var tally = Witness.tally(polite, "listen", burst, -1);
            assertThat(tally.unknown()).as("unknown outcomes").isZero();
            assertThat(tally.deadLettered()).as("dead letters").isZero();
            assertThat(tally.maxCalls()).as("calls of one command").isEqualTo(1);
        }
    }

    @Test
    void three_workers_one_killed_and_one_added_mid_run() {
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        var first = herald.startWorkerProcess("scale-1");
        herald.startWorkerProcess("scale-2");
        herald.startWorkerProcess("scale-3");
        herald.sendAll(Witness.burst("scale", BURST, KEYS));
        awaitEnded("scale", 1_000);

        first.kill();
        long inFlightAtKill =
                herald.count("SELECT count(*) FROM commands WHERE command_id LIKE 'scale-%' AND status = 'in_flight'");
        long killedAt = System.nanoTime();
        awaitEnded("scale", 2_500);
        herald.startWorkerProcess("scale-4");
        awaitAllEnded("scale", killedAt);

        var tally = Witness.tally(herald, "scale", BURST, -1);
        assertThat(tally.unknown()).isLessThanOrEqualTo(inFlightAtKill).isLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(tally.deadLettered()).isEqualTo(tally.unknown());
        Witness.assertFalseUnknownsOfAKill(tally, inFlightAtKill);
    }

    @Test
    void the_broker_restarted_mid_run() {
        var kafka = TestInfrastructure.get().embeddedKafka();
        Assumptions.assumeTrue(kafka.isPresent(), "needs the embedded broker, which a test can restart");
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        herald.startWorkerProcess("broker-1");
        herald.sendAll(Witness.burst("broker", BURST, KEYS));
        awaitEnded("broker", 1_500);

        long restartedAt = System.nanoTime();
        kafka.get().restart();
        double recovered = awaitProgress("broker", restartedAt);
        awaitAllEnded("broker", restartedAt);

        var tally = Witness.tally(herald, "broker", BURST, recovered);
        assertThat(tally.deadLettered())
                .as("nothing dead-lettered because of the broker")
                .isZero();
    }

    @Test
    void the_database_restarted_mid_run() {
        var database = TestInfrastructure.get().embeddedDatabase();
        Assumptions.assumeTrue(database.isPresent(), "needs the embedded PostgreSQL, which a test can stop");
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        herald.startWorkerProcess("database-1");
        herald.sendAll(Witness.burst("database", BURST, KEYS));
        awaitEnded("database", 1_500);

        database.get().stop();
        sleep(Duration.ofSeconds(5));
        long restartedAt = System.nanoTime();
        database.get().restart();
        double recovered = awaitProgress("database", restartedAt);
        awaitAllEnded("database", restartedAt);

        var tally = Witness.tally(herald, "database", BURST, recovered);
        assertThat(tally.deadLettered())
                .as("nothing dead-lettered because of the database")
                .isZero();
    }

    @Test
    void oneall_down_for_30_seconds_mid_run() {
        var outage = Duration.ofSeconds(Integer.getInteger("herald.guarantee.outage-seconds", 30));
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        herald.startWorkerProcess("outage-1");
        herald.sendAll(Witness.burst("outage", BURST, KEYS));
        awaitEnded("outage", 1_500);

        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10).withOutage(true));
        sleep(outage);
        long backAt = System.nanoTime();
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        double recovered = awaitProgress("outage", backAt);
        awaitAllEnded("outage", backAt);

        var tally = Witness.tally(herald, "outage", BURST, recovered);
        assertThat(tally.deadLettered())
                .as("nothing dead-lettered because OneAll was down while attempts remained")
                .isZero();
    }

    @Test
    void sigterm_mid_burst_drains_within_its_deadline() {
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        var worker = herald.startWorkerProcess("term-1");
        herald.sendAll(Witness.burst("term", BURST, KEYS));
        awaitEnded("term", 1_000);

        long termAt = System.nanoTime();
        int exit = worker.terminate(Duration.ofSeconds(40));
        double drainSeconds = (System.nanoTime() - termAt) / 1e9;
        assertThat(exit).as("exit status after SIGTERM").isZero();
        assertThat(drainSeconds)
                .as("the drain deadline (--drain-seconds 20) and the broker's goodbye")
                .isLessThan(40);
        assertThat(herald.count(
                        "SELECT count(*) FROM commands WHERE command_id LIKE 'term-%' AND status = 'in_flight'"))
                .as("nothing left in flight")
                .isZero();

        herald.startWorkerProcess("term-2");
        awaitAllEnded("term", termAt);
        var tally = Witness.tally(herald, "term", BURST, drainSeconds);
        assertThat(tally.deadLettered()).isZero();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
