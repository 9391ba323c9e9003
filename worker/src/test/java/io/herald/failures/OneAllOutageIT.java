package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.WorkerApp;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.schema.Limits;
import io.herald.testing.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: a OneAll outage slows the worker down instead of exhausting the backlog's attempts; work resumes by itself, even when the
 * first calls to wait for OneAll make no call at all. A slow OneAll with a backlog of large records keeps the worker's memory within
 * its bound.
 */
@Timeout(120)
class OneAllOutageIT {
    private final WorkerHarness herald = new WorkerHarness().with("HERALD_MAX_ATTEMPTS", "4");

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void commands_wait_out_an_outage_without_being_exhausted_and_succeed_when_oneall_is_back() {
        herald.sandbox().setFaults(Faults.NONE.withOutage(true));
        var worker = herald.startWorker();
        int total = 60;
        for (int i = 0; i < total; i++) {
            herald.send(aPush().withId("outage-" + i).forIdentity(token()).json());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> breakerOpen(worker));
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
        long callsDuringOutage = herald.sandbox().journal().received();

        herald.sandbox().setFaults(Faults.NONE);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"))
                                .isEqualTo(total));

        assertThat(herald.count("SELECT count(*) FROM dead_letters")).isZero();
        assertThat(callsDuringOutage)
                .as("about one failed call per command, then probes, not every attempt")
                .isLessThan(total * 2L);
    }

    /**
     * The breaker's trial goes to the call waiting longest. Here those are duplicates of commands already ended and
     * commands not due yet: neither makes a call, so each hands the trial on, and the first command that does call
     * closes the breaker. Bound: within one cooldown of OneAll's return (at most 30 s), plus that call.
     */
    @Test
    void waiters_that_make_no_call_hand_the_trial_on_and_the_breaker_closes_when_oneall_is_back() {
        // the commands that open the breaker come back after a long backoff, so they do not queue before the others
        var worker = herald.with("HERALD_RETRY_BACKOFF_MS", "20000")
                .with("HERALD_RETRY_MAX_BACKOFF_MS", "20000")
                .startWorker();
        var tokens = new HashMap<String, String>();
        var ended = commands("ended", 10, tokens, null);
        herald.sendAll(ended);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'") == ended.size());

        herald.sandbox().setFaults(Faults.NONE.withOutage(true));
        var opening = commands("opening", 25, tokens, null);
        herald.sendAll(opening);
        await().atMost(Duration.ofSeconds(30)).until(() -> breakerOpen(worker));
        var notDue = commands("not-due", 5, tokens, Instant.now().plusSeconds(4));
        herald.sendAll(ended);
        herald.sendAll(notDue);
        await().atMost(Duration.ofSeconds(15))
                .alias("the duplicates and the commands not due wait for the breaker")
                .until(() -> buffered(worker) >= ended.size() + notDue.size());
        var calling = commands("calling", 3, tokens, null);
        herald.sendAll(calling);

        herald.sandbox().setFaults(Faults.NONE);
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(35)).until(() -> !breakerOpen(worker));
        double closedAfter = (System.nanoTime() - back) / 1e9;
        int total = ended.size() + opening.size() + notDue.size() + calling.size();
        await().atMost(Duration.ofSeconds(50))
                .untilAsserted(
                        () -> assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"))
                                .isEqualTo(total));

        assertEachCarriedOutOnceAndNoneDeadLettered(tokens);
        System.out.printf("the breaker closed %.1f s after OneAll was back%n", closedAfter);
    }

    /**
     * A slow OneAll and a backlog of large records (compressed by the producer, so one fetch brings many): the bytes the
     * worker holds never pass its bound plus one record, whatever a poll brings, and every command is carried out once.
     * Before the records were handed out one by one within the bound, a 128 MiB bound held 445 MiB.
     */
    @Test
    void a_backlog_of_large_records_is_held_within_the_bound_and_every_command_carried_out_once() throws Exception {
        long bound = 16L * 1024 * 1024;
        herald.with("HERALD_MAX_BUFFERED_MB", "16").with("HERALD_MAX_IN_FLIGHT", "4");
        herald.sandbox().setFaults(Faults.NONE.withLatency(300, 0));
        var tokens = new HashMap<String, String>();
        var commands = new ArrayList<String>();
        var text = "x".repeat(900 * 1024);
        for (int i = 0; i < 40; i++) {
            var identity = token();
            tokens.put(identity, "large-" + i);
            commands.add(aPush().withId("large-" + i)
                    .forIdentity(identity)
                    .to("linkedin/post")
                    .saying(text)
                    .json());
        }
        herald.sendAll(commands);
        long oneRecord = 3L * (commands.get(0).getBytes(StandardCharsets.UTF_8).length + Limits.MAX_KEY_BYTES);

        var worker = herald.startWorker();
        var peak = new AtomicLong();
        var sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> peak.accumulateAndGet((long) bufferedBytes(worker), Math::max), 0, 5, TimeUnit.MILLISECONDS);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"))
                                    .isEqualTo(commands.size()));
        } finally {
            sampler.shutdownNow();
        }

        assertThat(peak.get())
                .as(
                        "the most bytes held (%d MiB), against a bound of 16 MiB and a record of %d KiB",
                        peak.get() >> 20, oneRecord >> 10)
                .isLessThanOrEqualTo(bound + oneRecord)
                .as("the records did pile up to the bound")
                .isGreaterThan(bound / 2);
        assertEachCarriedOutOnceAndNoneDeadLettered(tokens);
        await().atMost(Duration.ofSeconds(10)).until(() -> herald.lag() == 0);
        System.out.printf(
                "a backlog of %d records of %d KiB under a 16 MiB bound: at most %d KiB held%n",
                commands.size(), oneRecord / 3 >> 10, peak.get() >> 10);
    }

    /** Push commands, each for an identity of its own ({@code tokens}: identity to command id). */
    private static List<String> commands(String prefix, int count, Map<String, String> tokens, Instant notBefore) {
        var commands = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            var id = prefix + "-" + i;
            var identity = token();
            tokens.put(identity, id);
            var push = aPush().withId(id).forIdentity(identity).saying(id);
            commands.add((notBefore == null ? push : push.notBefore(notBefore)).json());
        }
        return commands;
    }

    /** The gauge's value (the rendered text would match its help line, "1 while calls wait ...", whatever it says). */
    private static boolean breakerOpen(WorkerApp worker) {
        return worker.metrics()
                        .registry()
                        .get("herald_oneall_breaker_open")
                        .gauge()
                        .value()
                == 1;
    }

    private static double bufferedBytes(WorkerApp worker) {
        return worker.metrics().registry().get("herald_buffered_bytes").gauge().value();
    }

    private static double buffered(WorkerApp worker) {
        return worker.metrics()
                .registry()
                .get("herald_buffered_records")
                .gauge()
                .value();
    }

    /** Each of the identities {@code tokens} (with their command ids) had exactly one effect, and nothing was dead-lettered. */
    private void assertEachCarriedOutOnceAndNoneDeadLettered(Map<String, String> tokens) {
        var effects = new HashMap<String, Integer>();
        herald.sandbox()
                .journal()
                .entries(Journal.Entry::effect)
                .forEach(entry -> effects.merge(entry.token(), 1, Integer::sum));
        assertThat(tokens.keySet())
                .as("every command carried out exactly once")
                .allSatisfy(token ->
                        assertThat(effects.get(token)).as(tokens.get(token)).isEqualTo(1));
        assertThat(herald.count("SELECT count(*) FROM dead_letters")).isZero();
    }
}
