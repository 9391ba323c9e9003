package io.herald.guarantees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.Journal;
import io.herald.testing.WorkerHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts what happened to a burst of push commands, from the two witnesses that cannot lie to each
 * other: the sandbox's journal (what OneAll was asked to do, and did) and the ledger (what Herald says).
 * Each command of a burst says its own id as its message: {@code <scenario>-<key>-<seq>}.
 */
final class Witness {
    private static final Pattern MESSAGE = Pattern.compile("\"message\":\"([A-Za-z0-9]+)-(\\d+)-(\\d+)\"");
    /** The statuses a command ends in. */
    private static final String ENDED = "('succeeded', 'partial', 'dead_lettered')";

    /** The figures a scenario reports. */
    record Tally(
            String scenario,
            int sent,
            long ended,
            long doubled,
            long lost,
            long fakeSuccesses,
            long unknown,
            long deadLettered,
            long outOfOrder,
            double recoverSeconds,
            long falseDeadLetters,
            int maxCalls,
            long falseUnknowns) {
        static final String HEADER =
                "| scenario | sent | ended | doubled | lost | fake successes | unknown outcome | false unknowns"
                        + " | dead-lettered | of which OneAll carried out | keys out of order | most calls for one command"
                        + " | recovery s |" + System.lineSeparator()
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|";

        String line() {
            return String.format(
                    "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s |",
                    scenario,
                    sent,
                    ended,
                    doubled,
                    lost,
                    fakeSuccesses,
                    unknown,
                    falseUnknowns,
                    deadLettered,
                    falseDeadLetters,
                    outOfOrder,
                    maxCalls,
                    recoverSeconds < 0 ? "-" : String.format("%.1f", recoverSeconds));
        }
    }

    private Witness() {}

    static List<String> burst(String scenario, int commands, int keys) {
        var tokens = new ArrayList<String>();
        for (int k = 0; k < keys; k++) {
            tokens.add(io.herald.testing.Commands.token());
        }
        var burst = new ArrayList<String>(commands);
        for (int i = 0; i < commands; i++) {
            int key = i % keys;
            int seq = i / keys;
            var id = scenario + "-" + key + "-" + seq;
            burst.add(io.herald.testing.Commands.aPush()
                    .withId(id)
                    .forIdentity(tokens.get(key))
                    .saying(id)
                    .json());
        }
        return burst;
    }

    static long ended(WorkerHarness herald, String scenario) {
        return herald.count(
                "SELECT count(*) FROM commands WHERE command_id LIKE ? AND status IN " + ENDED, scenario + "-%");
    }

    /**
     * Waits until at least {@code atLeast} of the scenario's commands ended; if they do not within {@code within}, fails
     * with where the others are (by status, parked or not, the last error of a few), so that a run that gets stuck says
     * why.
     */
    static void awaitEnded(WorkerHarness herald, String scenario, long atLeast, Duration within, Duration poll) {
        try {
            await().atMost(within).pollInterval(poll).until(() -> ended(herald, scenario) >= atLeast);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            var pattern = scenario + "-%";
            throw new AssertionError(
                    String.format(
                            "%d of %d commands of %s ended within %s; by status: %s; parked: %d; not ended, a few: %s",
                            ended(herald, scenario),
                            atLeast,
                            scenario,
                            within,
                            herald.strings(
                                    "SELECT status || ' ' || count(*) FROM commands WHERE command_id LIKE ?"
                                            + " GROUP BY status ORDER BY status",
                                    pattern),
                            herald.count("SELECT count(*) FROM parked WHERE command_id LIKE ?", pattern),
                            herald.strings(
                                    "SELECT command_id || ' ' || status || ' attempts ' || attempts || ' updated '"
                                            + " || updated_at || ' ' || coalesce(last_error, '') FROM commands"
                                            + " WHERE command_id LIKE ? AND status NOT IN " + ENDED
                                            + " ORDER BY updated_at LIMIT 5",
                                    pattern)),
                    e);
        }
    }

    /**
     * Checks the scenario's guarantees and returns its figures: every command ended, none was carried
     * out twice, the order of each key kept, every succeeded command carried out exactly once.
     */
    static Tally tally(WorkerHarness herald, String scenario, int sent, double recoverSeconds) {
        awaitSettled(herald, scenario);
        var effects = new HashMap<String, Integer>();
        var sequences = new HashMap<String, List<Integer>>();
        // a command counted an unknown outcome that its worker then showed it never sent is consumed again, after its
        // account's later commands, as a replayed dead letter is (processing.md): it is outside its account's order
        var returned = new java.util.HashSet<>(herald.strings(
                "SELECT command_id FROM dead_letters WHERE command_id LIKE ? AND error_class = 'unknown-outcome'"
                        + " AND superseded_at IS NOT NULL",
                scenario + "-%"));
        for (var entry : herald.sandbox().journal().entries(Journal.Entry::effect)) {
            var matcher = burstMessage(entry, scenario);
            if (matcher == null) {
                continue;
            }
            var id = scenario + "-" + matcher.group(2) + "-" + matcher.group(3);
            effects.merge(id, 1, Integer::sum);
            if (!returned.contains(id)) {
                sequences
                        .computeIfAbsent(matcher.group(2), k -> new ArrayList<>())
                        .add(Integer.parseInt(matcher.group(3)));
            }
        }
        long doubled = effects.values().stream().filter(n -> n > 1).count();
        long outOfOrder = sequences.values().stream()
                .filter(seqs -> {
                    for (int i = 1; i < seqs.size(); i++) {
                        if (seqs.get(i) <= seqs.get(i - 1)) {
                            return true;
                        }
                    }
                    return false;
                })
                .count();
        long ended = ended(herald, scenario);
        long unknown = herald.count(
                "SELECT count(*) FROM commands WHERE command_id LIKE ? AND last_error_class = 'unknown-outcome'"
                        + " AND status = 'dead_lettered'",
                scenario + "-%");
        long deadLettered = herald.count(
                "SELECT count(*) FROM commands WHERE command_id LIKE ? AND status = 'dead_lettered'", scenario + "-%");
        long succeededWithoutEffect = herald
                .strings(
                        "SELECT command_id FROM commands WHERE command_id LIKE ? AND status = 'succeeded'",
                        scenario + "-%")
                .stream()
                .filter(id -> !effects.containsKey(id))
                .count();
        var falseDeadLetterIds = herald
                .strings(
                        "SELECT command_id FROM commands WHERE command_id LIKE ? AND status = 'dead_lettered'",
                        scenario + "-%")
                .stream()
                .filter(effects::containsKey)
                .toList();
        long falseDeadLetters = falseDeadLetterIds.size();
        var calls = new HashMap<String, Integer>();
        for (var entry : herald.sandbox().journal().entries(entry -> true)) {
            var matcher = burstMessage(entry, scenario);
            if (matcher != null) {
                calls.merge(scenario + "-" + matcher.group(2) + "-" + matcher.group(3), 1, Integer::sum);
            }
        }
        int maxCalls = calls.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        // an unknown outcome whose request never reached OneAll: the journal holds every request received, those it
        // refused, faulted or did not carry out among them
        var falseUnknownIds = herald
                .strings(
                        "SELECT command_id FROM commands WHERE command_id LIKE ? AND status = 'dead_lettered'"
                                + " AND last_error_class = 'unknown-outcome'",
                        scenario + "-%")
                .stream()
                .filter(id -> !calls.containsKey(id))
                .toList();
        long falseUnknowns = falseUnknownIds.size();
        var tally = new Tally(
                scenario,
                sent,
                ended,
                doubled,
                sent - ended,
                succeededWithoutEffect,
                unknown,
                deadLettered,
                outOfOrder,
                recoverSeconds,
                falseDeadLetters,
                maxCalls,
                falseUnknowns);
        report(tally);
        explain(herald, scenario, "dead-lettered although OneAll carried it out", falseDeadLetterIds);
        explain(herald, scenario, "an unknown outcome OneAll never received", falseUnknownIds);
        assertThat(doubled).as("commands OneAll carried out twice").isZero();
        assertThat(ended).as("commands that ended").isEqualTo(sent);
        assertThat(outOfOrder)
                .as("keys whose commands OneAll received out of order")
                .isZero();
        assertThat(succeededWithoutEffect)
                .as("commands recorded succeeded that OneAll never carried out")
                .isZero();
        return tally;
    }

    /**
     * Prints, for a few of the commands a figure counts (expected in some scenarios, a failure in others), what
     * OneAll's journal and the ledger say of them, so that a run which shows them can be read afterwards: when each
     * request reached OneAll, and the command's attempts.
     */
    private static void explain(WorkerHarness herald, String scenario, String what, List<String> ids) {
        var journal = ids.isEmpty()
                ? List.<Journal.Entry>of()
                : herald.sandbox().journal().entries();
        for (var id : ids.stream().limit(5).toList()) {
            var received = journal.stream()
                    .filter(entry -> {
                        var matcher = burstMessage(entry, scenario);
                        return matcher != null && id.equals(scenario + "-" + matcher.group(2) + "-" + matcher.group(3));
                    })
                    .map(entry -> entry.at() + " " + entry.status() + (entry.effect() ? " carried out" : ""))
                    .toList();
            var ledger = herald.strings(
                    "SELECT coalesce(last_error, '') || '; attempts: ' || coalesce((SELECT string_agg(concat_ws(' ',"
                            + " e->>'attempt', e->>'worker_id', e->>'started_at', e->>'duration_ms' || ' ms',"
                            + " e->>'error_class'), ', ') FROM jsonb_array_elements(attempt_log) e), 'none')"
                            + " FROM commands WHERE command_id = ?",
                    id);
            System.out.printf("WITNESS %s %s: OneAll received %s; ledger: %s%n", id, what, received, ledger);
        }
    }

    /**
     * The bound a SIGKILL leaves on false unknowns: a process killed between a claim's commit and its request's first
     * byte records nothing, so those calls count unknown though OneAll never received them. Connections are held before
     * the claim and the request written as it commits, so they are only the calls being dispatched at the kill; what
     * can be proven is that they are among the commands in flight at the kill, and that every other unknown outcome
     * did reach OneAll (processing.md, calls held back).
     */
    static void assertFalseUnknownsOfAKill(Tally tally, long inFlightAtKill) {
        System.out.printf(
                "GUARANTEE %s: %d unknown outcomes, %d of them never reached OneAll, %d in flight at the kill%n",
                tally.scenario(), tally.unknown(), tally.falseUnknowns(), inFlightAtKill);
        assertThat(tally.falseUnknowns())
                .as("unknown outcomes OneAll never received: calls dispatched at the instant of the kill")
                .isLessThanOrEqualTo(tally.unknown())
                .isLessThanOrEqualTo(inFlightAtKill);
    }

    /** The message of a journal entry of the scenario's burst (its key and sequence in groups 2 and 3), else null. */
    private static Matcher burstMessage(Journal.Entry entry, String scenario) {
        var matcher = MESSAGE.matcher(entry.excerpt() == null ? "" : entry.excerpt());
        return matcher.find() && matcher.group(1).equals(scenario) ? matcher : null;
    }

    /**
     * Waits until neither the scenario's rows of the ledger nor its calls in the journal have changed for three seconds:
     * a worker that thawed may still be reading answers that came while it was frozen and correcting what another
     * worker recorded, and a tally taken meanwhile would count a moment, not the outcome.
     */
    private static void awaitSettled(WorkerHarness herald, String scenario) {
        var quiet = Duration.ofSeconds(3);
        var calls = new AtomicLong(-1);
        var callsSince = new AtomicLong();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    long now = System.nanoTime();
                    long seen = herald.sandbox()
                            .journal()
                            .entries(entry -> burstMessage(entry, scenario) != null)
                            .size();
                    if (calls.getAndSet(seen) != seen) {
                        callsSince.set(now);
                    }
                    long changed = herald.count(
                            "SELECT count(*) FROM commands WHERE command_id LIKE ? AND updated_at > now() - make_interval(secs => ?)",
                            scenario + "-%",
                            (double) quiet.toSeconds());
                    return changed == 0 && now - callsSince.get() >= quiet.toNanos();
                });
    }

    /**
     * Prints the scenario's line and appends it to {@code target/guarantees.md} (a table with {@link Tally#HEADER}):
     * scenario, sent, ended, doubled, lost, fake successes (succeeded though OneAll never carried them out), unknown
     * outcomes, false unknowns (unknown outcomes whose request never reached OneAll), dead-lettered and of those the ones OneAll carried out, keys out of order, the most calls one command
     * got, seconds to recover.
     */
    static synchronized void report(Tally tally) {
        System.out.println("GUARANTEE " + tally.line());
        try {
            var file = Path.of("target", "guarantees.md");
            var text = (Files.exists(file) ? "" : Tally.HEADER + System.lineSeparator())
                    + tally.line()
                    + System.lineSeparator();
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
