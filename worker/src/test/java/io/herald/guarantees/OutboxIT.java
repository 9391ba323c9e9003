package io.herald.guarantees;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.testing.TestInfrastructure;
import io.herald.testing.WorkerHarness;
import io.herald.testing.WorkerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: dead letters and outcome events are written with the ledger change they belong to, so a worker killed
 * between the database and Kafka loses neither: the next worker sends what the dead one left in the outbox. And the
 * broker out of reach for long, the producer's buffer full, stalls neither the ledger nor the outbox: every event
 * arrives once it is back.
 */
@Tag("guarantee")
@Timeout(420)
class OutboxIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SCENARIO = "outbox";
    private static final int COMMANDS = 2_000;
    private static final int KEYS = 40;
    private static final int KILLS = 3;
    private static final String OUTAGE = "outage";
    private static final int OUTAGE_KEYS = 16;
    private static final int OUTAGE_COMMANDS = OUTAGE_KEYS * 55;

    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    /**
     * 2,000 pushes for 40 identities, a fifth of them refused for good (404); the worker, a JVM of its own, is killed
     * with SIGKILL three times mid-burst, each time just after a dead letter was committed, and restarted. At the end
     * every dead letter of the table is on the DLT topic, every ended command has its outcome event, and the outbox is empty.
     */
    @Test
    void dead_letters_and_outcome_events_survive_kill_minus_9_between_the_ledger_and_kafka() {
        var identities = IntStream.range(0, KEYS).mapToObj(i -> token()).toList();
        var faults = Faults.NONE.withLatency(100, 20);
        for (int key = 0; key < KEYS; key += 5) {
            faults = faults.withRule(FaultRule.failAlways(identities.get(key), 404));
        }
        herald.sandbox().setFaults(faults);
        var commands = new ArrayList<String>();
        for (int i = 0; i < COMMANDS; i++) {
            var id = SCENARIO + "-" + (i % KEYS) + "-" + (i / KEYS);
            commands.add(aPush().withId(id)
                    .forIdentity(identities.get(i % KEYS))
                    .saying(id)
                    .json());
        }
        var worker = herald.startWorkerProcess("outbox-1");
        herald.sendAll(commands);

        var leftAtKill = new ArrayList<Long>();
        for (int kill = 1; kill <= KILLS; kill++) {
            long threshold = (long) COMMANDS * kill / (KILLS + 1);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> Witness.ended(herald, SCENARIO) >= threshold);
            long letters = deadLetters();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> deadLetters() > letters);
            worker.kill();
            leftAtKill.add(herald.count("SELECT count(*) FROM outbox"));
            worker = herald.startWorkerProcess("outbox-" + (kill + 1));
        }
        await().atMost(Duration.ofSeconds(180)).until(() -> Witness.ended(herald, SCENARIO) == COMMANDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> herald.count("SELECT count(*) FROM outbox") == 0);
        terminate(worker);

        var tally = Witness.tally(herald, SCENARIO, COMMANDS, -1);
        var lettered =
                Set.copyOf(herald.strings("SELECT command_id FROM dead_letters WHERE command_id LIKE 'outbox-%'"));
        var dlt = herald.readToEnd(herald.config().kafka().deadLetterTopic());
        var onDlt = new HashSet<String>();
        dlt.forEach(record -> onDlt.add(commandIdOf(record.value())));
        assertThat(lettered).as("dead letters of the table").hasSize((int) tally.deadLettered());
        assertThat(onDlt).as("command ids on the DLT topic").containsAll(lettered);
        assertThat(dlt)
                .allSatisfy(record ->
                        assertThat(header(record, "herald-error-class")).isIn("permanent", "unknown-outcome"));

        var ended = new HashMap<String, String>();
        herald.strings("SELECT command_id || ' ' || status FROM commands WHERE command_id LIKE 'outbox-%'")
                .forEach(row -> {
                    var parts = row.split(" ");
                    ended.put(parts[0], parts[1]);
                });
        var events = herald.readToEnd(herald.config().kafka().outcomesTopic());
        var announced = new HashMap<String, Set<String>>();
        for (var event : events) {
            var json = read(event.value());
            announced
                    .computeIfAbsent(json.path("command_id").asText(), id -> new HashSet<>())
                    .add(json.path("status").asText());
        }
        var missing = ended.entrySet().stream()
                .filter(e -> !announced.getOrDefault(e.getKey(), Set.of()).contains(e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(missing)
                .as("ended commands without an outcome event of their status")
                .isEmpty();
        assertThat(leftAtKill.stream().mapToLong(Long::longValue).sum())
                .as("outbox rows a killed worker left behind")
                .isPositive();

        long permanent = herald.count("SELECT count(*) FROM dead_letters WHERE error_class = 'permanent'");
        System.out.printf(
                "outbox: %d pushes, %d kills (outbox rows left at each: %s); %d dead letters (%d permanent, %d unknown-outcome),"
                        + " %d DLT records (%d commands); %d outcome events (%d commands) for %d ended; outbox at the end: %d%n",
                COMMANDS,
                KILLS,
                leftAtKill,
                lettered.size(),
                permanent,
                tally.unknown(),
                dlt.size(),
                onDlt.size(),
                events.size(),
                announced.size(),
                ended.size(),
                herald.count("SELECT count(*) FROM outbox"));
    }

    /**
     * 880 pushes for 16 identities that OneAll answers in 400 ms each; the worker's producer has a 64 KiB buffer and
     * waits at most 1 s for room in it or for the topic's metadata. Once the worker is under way the broker is stopped,
     * and stays down while the ledger records for 16 s more: every send waits 1 s in vain, yet the outcomes
     * of the calls under way go on being recorded (they only write PostgreSQL), their events wait in the outbox, and
     * once the broker is back every command's outcome event arrives, none twice, the outbox empties and no call was
     * made twice.
     */
    @Test
    void with_the_broker_down_and_the_producers_buffer_full_the_ledger_keeps_recording_and_no_event_is_lost() {
        var kafka = TestInfrastructure.get().embeddedKafka();
        Assumptions.assumeTrue(kafka.isPresent(), "needs the embedded broker, which a test can stop");
        herald.with("KAFKA_BUFFER_MEMORY", "65536").with("KAFKA_MAX_BLOCK_MS", "1000");
        herald.sandbox().setFaults(Faults.NONE.withLatency(400, 50));
        herald.sendAll(Witness.burst(OUTAGE, OUTAGE_COMMANDS, OUTAGE_KEYS));
        var worker = herald.startWorkerProcess("outage-1");
        Witness.awaitEnded(herald, OUTAGE, 40, Duration.ofSeconds(90), Duration.ofMillis(50));

        var stoppedAt = herald.string("SELECT now()::text");
        long endedAtStop = Witness.ended(herald, OUTAGE);
        long recordedWhileFull;
        long waitingInOutbox;
        long stopping = System.nanoTime();
        kafka.get().stop();
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> endedBetween(stoppedAt, 16, 3_600) > 0);
            recordedWhileFull = endedBetween(stoppedAt, 6, 16);
            waitingInOutbox = herald.count("SELECT count(*) FROM outbox");
        } finally {
            kafka.get().restart();
        }
        long restartedAt = System.nanoTime();
        double downSeconds = (restartedAt - stopping) / 1e9;
        Witness.awaitEnded(herald, OUTAGE, OUTAGE_COMMANDS, Duration.ofSeconds(120), Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(60)).until(() -> herald.count("SELECT count(*) FROM outbox") == 0);
        double drainedSeconds = (System.nanoTime() - restartedAt) / 1e9;
        terminate(worker);
        var tally = Witness.tally(herald, OUTAGE, OUTAGE_COMMANDS, -1);

        var copies = new HashMap<String, Integer>();
        var announced = new HashSet<String>();
        for (var event : herald.readToEnd(herald.config().kafka().outcomesTopic())) {
            var json = read(event.value());
            copies.merge(new String(event.value(), java.nio.charset.StandardCharsets.UTF_8), 1, Integer::sum);
            announced.add(
                    json.path("command_id").asText() + " " + json.path("status").asText());
        }
        var missing = herald
                .strings("SELECT command_id || ' ' || status FROM commands WHERE command_id LIKE ?", OUTAGE + "-%")
                .stream()
                .filter(ended -> !announced.contains(ended))
                .toList();
        long duplicates = copies.values().stream().mapToLong(n -> n - 1L).sum();
        String log = readLog(worker);

        System.out.printf(
                "outbox outage: %d pushes, %d ended when the broker stopped, %d recorded 6-16 s into the outage,"
                        + " %d outbox rows waiting then; %d outcome events (%d duplicates), outbox empty %.1f s after"
                        + " the broker's restart; the broker was stopped for %.1f s%n",
                OUTAGE_COMMANDS,
                endedAtStop,
                recordedWhileFull,
                waitingInOutbox,
                copies.values().stream().mapToInt(Integer::intValue).sum(),
                duplicates,
                drainedSeconds,
                downSeconds);
        assertThat(log)
                .as("the worker's log: a send waited max.block.ms in vain")
                .contains("not sent (org.apache.kafka.common.errors.TimeoutException");
        assertThat(recordedWhileFull)
                .as(
                        "outcomes recorded from 6 s to 16 s into the outage (1 s per send on the writer's thread would allow"
                                + " ten)")
                .isGreaterThanOrEqualTo(50);
        assertThat(missing)
                .as("commands without an outcome event of their status")
                .isEmpty();
        assertThat(duplicates).as("outcome events that arrived twice").isZero();
        assertThat(tally.doubled()).isZero();
    }

    /** Commands of the outage scenario that ended from {@code from} to {@code to} seconds after {@code start}. */
    private long endedBetween(String start, int from, int to) {
        return herald.count(
                "SELECT count(*) FROM commands WHERE command_id LIKE ? AND status IN ('succeeded', 'dead_lettered')"
                        + " AND updated_at >= ?::timestamptz + make_interval(secs => ?)"
                        + " AND updated_at < ?::timestamptz + make_interval(secs => ?)",
                OUTAGE + "-%",
                start,
                (double) from,
                start,
                (double) to);
    }

    private static String readLog(WorkerProcess worker) {
        try {
            return java.nio.file.Files.readString(worker.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long deadLetters() {
        return herald.count("SELECT count(*) FROM dead_letters");
    }

    private static void terminate(WorkerProcess worker) {
        assertThat(worker.terminate(Duration.ofSeconds(40)))
                .as("exit code of a drained worker")
                .isZero();
    }

    private static String commandIdOf(byte[] value) {
        return read(value).path("command_id").asText();
    }

    private static com.fasterxml.jackson.databind.JsonNode read(byte[] value) {
        try {
            return MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : WorkerHarness.text(header.value());
    }
}
