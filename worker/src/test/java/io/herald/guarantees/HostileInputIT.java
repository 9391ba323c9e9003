package io.herald.guarantees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.Commands;
import io.herald.testing.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guarantee suite, hostile input: a poison stream (a third of 10,000 records malformed, random or
 * oversized, and ten whose key or value PostgreSQL cannot keep as text) and commands that try to steer the
 * worker elsewhere or to leak its secrets. The worker (a JVM of its own with a 384 MB heap) must dead-letter
 * every bad record as {@code invalid}, carry out every good one once, commit every offset, never call anything
 * but OneAll's documented paths, and never write a secret out.
 */
@Tag("guarantee")
@Timeout(300)
class HostileInputIT {
    /** Every path the worker may call: the Sharing API, the Push API, ping. */
    private static final Pattern ONEALL_PATHS = Pattern.compile(
            "/sharing/messages(/[0-9a-fA-F-]{36})?\\.json|/push/identities/[0-9a-fA-F-]{36}/[a-z]+(/[a-z]+)*\\.json|/tools/ping\\.json");

    private static final String DATABASE_PASSWORD = "db-secret-" + Commands.token();

    private final WorkerHarness herald = new WorkerHarness().with("HERALD_DATABASE_PASSWORD", DATABASE_PASSWORD);

    @AfterEach
    void stop() {
        herald.close();
    }

    /** The kinds of bad records, each with the reason the reader gives; {@code i} makes each one distinct. */
    static byte[] malformed(int i, Random random) {
        var token = Commands.token();
        String json = switch (i % 12) {
            case 0 -> "not json " + i;
            case 1 -> "{\"command_id\":\"bad-" + i + "\",\"type\":\"explode\"}";
            case 2 ->
                "{\"command_id\":\"bad-" + i
                        + "\",\"type\":\"push\",\"identity_token\":\"../../admin\",\"endpoint\":\"twitter/post\","
                        + "\"push\":{\"post\":{\"message\":\"x\"}}}";
            case 3 ->
                "{\"command_id\":\"bad-" + i + "\",\"type\":\"push\",\"identity_token\":\"" + token
                        + "\",\"endpoint\":\"twitter/../../../tools/ping\",\"push\":{\"post\":{\"message\":\"x\"}}}";
            case 4 ->
                "{\"command_id\":\"bad-" + i + "\",\"type\":\"push\",\"identity_token\":\"" + token
                        + "@evil.example.com/x?\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"x\"}}}";
            case 5 ->
                "{\"command_id\":\"bad-" + i + "\",\"type\":\"delete\",\"sharing_message_token\":\"" + token
                        + "/../../x\"}";
            case 6 ->
                "{\"command_id\":\"bad-" + i + "\",\"type\":\"push\",\"identity_token\":\"" + token
                        + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"" + "x".repeat(141)
                        + "\"}}}";
            case 7 ->
                "{\"command_id\":\"bad-" + i + "\",\"type\":\"refresh\",\"sharing_message_token\":\"" + token
                        + "\",\"surprise\":1}";
            case 8 -> "[".repeat(5_000) + "]".repeat(5_000);
            case 9 -> "{\"command_id\":\"bad-" + i + "\",\"type\":\"refresh\"}";
            case 10 -> null;
            // every fifth of these: a record over the reader's 1,000,000-byte limit (the broker takes up to 1 MiB)
            default ->
                i % 60 != 11
                        ? null
                        : "{\"command_id\":\"bad-" + i + "\",\"type\":\"push\",\"identity_token\":\"" + token
                                + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\""
                                + "y".repeat(1_000_100) + "\"}}}";
        };
        if (json == null) {
            var bytes = new byte[1 + random.nextInt(2_000)];
            random.nextBytes(bytes);
            return bytes;
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A record whose key or value PostgreSQL cannot keep as text, the identity its push is for (null: no push), and
     * what its dead letter's reason must say; null for a valid push with such a key, which is carried out once (a
     * valid command's routing key comes from its value, whatever its record's key).
     */
    record Unstorable(String name, byte[] key, byte[] value, String token, String reason) {
        boolean carriedOut() {
            return reason == null;
        }
    }

    /** Records PostgreSQL refused once, each holding back its partition's offset for ever (issue 27). */
    static List<Unstorable> unstorable() {
        var random = new Random(27);
        var bytes = new byte[2_400];
        random.nextBytes(bytes);
        var longKey = java.util.Base64.getEncoder().encodeToString(bytes).getBytes(StandardCharsets.UTF_8);
        var nulKey = "unstorable-\u0000-key".getBytes(StandardCharsets.UTF_8);
        var notUtf8 = new byte[] {'k', (byte) 0xC3, (byte) 0x28};
        var bogus = "{\"command_id\":\"unstorable-%d\",\"type\":\"bogus\"}";
        var list = new ArrayList<Unstorable>();
        list.add(new Unstorable(
                "a NUL in the key of an invalid command",
                nulKey,
                bogus.formatted(1).getBytes(StandardCharsets.UTF_8),
                null,
                "(key): the record's key holds a NUL byte"));
        list.add(new Unstorable(
                "a key of " + longKey.length + " bytes on an invalid command",
                longKey,
                bogus.formatted(2).getBytes(StandardCharsets.UTF_8),
                null,
                "(key): the record's key is " + longKey.length + " bytes; at most 1024 are allowed"));
        list.add(new Unstorable(
                "a key that is not UTF-8 on an invalid command",
                notUtf8,
                bogus.formatted(3).getBytes(StandardCharsets.UTF_8),
                null,
                "(key): the record's key is not valid UTF-8"));
        var tokens = new ArrayList<String>();
        for (int i = 0; i < 7; i++) {
            tokens.add(Commands.token());
        }
        list.add(unstorablePush("a valid push keyed with a NUL", nulKey, "unstorable-4", tokens.get(0), "", "", null));
        list.add(unstorablePush(
                "a valid push keyed with " + longKey.length + " bytes",
                longKey,
                "unstorable-5",
                tokens.get(1),
                "",
                "",
                null));
        list.add(unstorablePush(
                "a valid push keyed with bytes that are not UTF-8",
                notUtf8,
                "unstorable-6",
                tokens.get(2),
                "",
                "",
                null));
        list.add(unstorablePush(
                "a \\u0000 in the message",
                null,
                "unstorable-7",
                tokens.get(3),
                "",
                "h\\u0000i",
                "/push/post/message: push must not contain NUL characters"));
        list.add(unstorablePush(
                "a \\u0000 in a field's name",
                null,
                "unstorable-8",
                tokens.get(4),
                "\"no\\u0000te\":\"x\",",
                "",
                "/no?te: 'no?te' is not a field of this command type"));
        list.add(unstorablePush(
                "a \\u0000 in a metadata key",
                null,
                "unstorable-9",
                tokens.get(5),
                "\"metadata\":{\"k\\u0000\":\"v\"},",
                "",
                "/metadata/k?: metadata must not contain NUL characters"));
        list.add(unstorablePush(
                "a \\u0000 in the command_id",
                null,
                "unstorable\\u000010",
                tokens.get(6),
                "",
                "",
                "/command_id: command_id must not contain NUL characters"));
        return list;
    }

    /**
     * A push for {@code token} keyed {@code key} (null: by its token), with {@code envelope} put into its envelope and
     * {@code message} into its message as they are (raw JSON).
     */
    private static Unstorable unstorablePush(
            String name, byte[] key, String id, String token, String envelope, String message, String reason) {
        var json = "{\"command_id\":\"" + id + "\",\"type\":\"push\"," + envelope + "\"identity_token\":\"" + token
                + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"unstorable" + message
                + "\"}}}";
        return new Unstorable(
                name,
                key == null ? token.getBytes(StandardCharsets.UTF_8) : key,
                json.getBytes(StandardCharsets.UTF_8),
                token,
                reason);
    }

    @Test
    void a_poison_stream_is_dead_lettered_record_by_record_and_the_good_commands_go_through() throws Exception {
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        var worker = herald.startWorkerProcess("poison");
        int total = 10_000;
        int bad = 0;
        var good = Witness.burst("poison", total - total / 3, 500);
        var random = new Random(42);
        var records = new ArrayList<byte[][]>();
        int next = 0;
        for (int i = 0; i < total; i++) {
            if (i % 3 == 2) {
                records.add(new byte[][] {("bad-" + i).getBytes(StandardCharsets.UTF_8), malformed(bad++, random)});
            } else {
                var command = good.get(next++);
                var key = command.replaceAll(".*\"identity_token\":\"([^\"]+)\".*", "$1");
                records.add(
                        new byte[][] {key.getBytes(StandardCharsets.UTF_8), command.getBytes(StandardCharsets.UTF_8)});
            }
        }
        // early in the stream, so that thousands of commands follow them on every partition
        var unstorable = unstorable();
        for (int i = 0; i < unstorable.size(); i++) {
            var record = unstorable.get(i);
            records.add(30 + 40 * i, new byte[][] {record.key(), record.value()});
        }
        long started = System.nanoTime();
        herald.sendRawAll(records);
        int invalid = bad
                + (int) unstorable.stream()
                        .filter(record -> !record.carriedOut())
                        .count();
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Witness.ended(herald, "poison") == good.size()
                        && herald.count("SELECT count(*) FROM dead_letters WHERE error_class = 'invalid'") == invalid);
        double seconds = (System.nanoTime() - started) / 1e9;

        var tally = Witness.tally(herald, "poison", good.size(), -1);
        assertThat(tally.deadLettered()).as("good commands dead-lettered").isZero();
        assertThat(herald.count("SELECT count(*) FROM dead_letters"))
                .as("every bad record dead-lettered once, as invalid")
                .isEqualTo(invalid);
        assertThat(herald.read(herald.config().kafka().deadLetterTopic(), invalid, Duration.ofSeconds(30)))
                .hasSize(invalid);
        assertThat(worker.alive())
                .as("the worker survived the poison (384 MB heap)")
                .isTrue();
        assertThat(Files.readString(worker.log())).doesNotContain("OutOfMemoryError");
        long checks = System.nanoTime();
        deadLetteredAndPassed(unstorable);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() ->
                        assertThat(herald.lag()).as("records not committed").isZero());
        System.out.printf(
                "GUARANTEE poison: %d good commands and %d bad records (%d of them unstorable as text) in %.1f s:"
                        + " %.0f good commands/s; lag 0; the unstorable records' checks took %.1f s%n",
                good.size(),
                invalid,
                unstorable.size(),
                seconds,
                good.size() / seconds,
                (System.nanoTime() - checks) / 1e9);
    }

    /**
     * Each unstorable record has one invalid dead letter of its very bytes that names its problem, nothing went to
     * OneAll for it, and the commands after it on its partition succeeded: it held nothing back.
     */
    private void deadLetteredAndPassed(List<Unstorable> unstorable) {
        for (var record : unstorable) {
            if (record.carriedOut()) {
                var id = WorkerHarness.text(record.value()).replaceAll(".*\"command_id\":\"([^\"]+)\".*", "$1");
                assertThat(herald.status(id)).as(record.name()).isEqualTo("succeeded");
                assertThat(herald.sandbox().journal().forToken(record.token()))
                        .as(record.name() + ": carried out once")
                        .hasSize(1);
                continue;
            }
            var letters = herald.strings(
                    "SELECT concat_ws(' ', error_class, original_partition, original_offset, error) FROM dead_letters"
                            + " WHERE record_key = ? AND record_value = ?",
                    record.key(),
                    record.value());
            assertThat(letters).as(record.name()).hasSize(1);
            var letter = letters.get(0).split(" ", 4);
            assertThat(letter[0]).as(record.name()).isEqualTo("invalid");
            assertThat(letter[3]).as(record.name()).contains(record.reason());
            assertThat(herald.count(
                            "SELECT count(*) FROM commands WHERE command_id LIKE 'poison-%' AND status = 'succeeded'"
                                    + " AND source_partition = ? AND source_offset > ?",
                            Integer.parseInt(letter[1]), Long.parseLong(letter[2])))
                    .as(record.name() + ": commands after it on partition " + letter[1] + " succeeded")
                    .isPositive();
            if (record.token() != null) {
                assertThat(herald.sandbox().journal().forToken(record.token()))
                        .as(record.name() + ": nothing reached OneAll")
                        .isEmpty();
            }
        }
        assertThat(herald.count("SELECT count(*) FROM commands c JOIN dead_letters d USING (command_id)"
                        + " WHERE command_id IN ('unstorable-1', 'unstorable-2', 'unstorable-3')"
                        + " AND c.status = 'dead_lettered'"
                        + " AND c.routing_key = 'sha256:' || encode(sha256(d.record_key), 'hex')"))
                .as("the invalid commands' keys kept as their digests")
                .isEqualTo(3);
    }

    @Test
    void commands_cannot_steer_the_worker_elsewhere_and_secrets_never_leave_it() throws Exception {
        var worker = herald.startWorkerProcess("security");
        var random = new Random(7);
        var hostile = new ArrayList<byte[][]>();
        for (int i = 0; i < 120; i++) {
            hostile.add(new byte[][] {("hostile-" + i).getBytes(StandardCharsets.UTF_8), malformed(i, random)});
        }
        herald.sendRawAll(hostile);
        // Commands that fail at OneAll, so that errors, dead letters and outcome events are written about them.
        herald.sandbox().setFaults(Faults.NONE.withErrorRate(404, 1.0));
        var failing = List.of(
                Commands.aPush().withId("sec-1").json(),
                Commands.publishForUser("sec-2", Commands.token(), "facebook"));
        herald.sendAll(failing);
        await().atMost(Duration.ofSeconds(60)).until(() -> herald.count("SELECT count(*) FROM dead_letters") == 122);

        var paths = herald.sandbox().journal().entries(entry -> true).stream()
                .map(Journal.Entry::path)
                .distinct()
                .toList();
        assertThat(paths).allSatisfy(path -> assertThat(path).matches(ONEALL_PATHS));
        assertThat(herald.count("SELECT count(*) FROM dead_letters WHERE error_class = 'invalid'"))
                .isEqualTo(120);

        var secrets = List.of(herald.sandbox().privateKey(), DATABASE_PASSWORD);
        var letters = herald.read(herald.config().kafka().deadLetterTopic(), 122, Duration.ofSeconds(30));
        var events = herald.read(herald.config().kafka().outcomesTopic(), 2, Duration.ofSeconds(30));
        var everything = new StringBuilder(Files.readString(worker.log()));
        for (var record : letters) {
            record.headers()
                    .forEach(header -> everything
                            .append(new String(header.value(), StandardCharsets.UTF_8))
                            .append('\n'));
        }
        events.forEach(
                record -> everything.append(WorkerHarness.text(record.value())).append('\n'));
        everything.append(
                herald.strings("SELECT concat_ws(' ', last_error, result::text, metadata::text) FROM commands"));
        everything.append(
                herald.strings("SELECT concat_ws(' ', error, headers::text, attempt_history::text) FROM dead_letters"));
        assertThat(everything.length()).isGreaterThan(1_000);
        for (var secret : secrets) {
            assertThat(everything.toString())
                    .as("the worker's log, dead-letter headers, outcome events and tables")
                    .doesNotContain(secret);
        }
        System.out.printf(
                "GUARANTEE security: %d hostile records dead-lettered as invalid, %d distinct paths called, "
                        + "%d characters of output searched for %d secrets, none found%n",
                120, paths.size(), everything.length(), secrets.size());
    }

    /**
     * Invalid records under the ids of commands the ledger has (one that succeeded, one waiting for its retry, one
     * scheduled) and under a new id: each is one {@code invalid} dead letter, the three beside their commands, whose
     * rows, parking and calls stay as they were, with no outcome event. Then the worker stops and its group is set back
     * to the first of these records on each partition: delivered again at the same offsets, they write nothing more.
     */
    @Test
    void an_invalid_record_under_a_known_id_is_dead_lettered_beside_its_command_once_per_place() throws Exception {
        var identities = new LinkedHashMap<String, String>();
        for (var id : List.of("reuse-done", "reuse-waiting", "reuse-scheduled", "reuse-new")) {
            identities.put(id, Commands.token());
        }
        herald.sandbox()
                .setFaults(Faults.NONE.withRule(FaultRule.failFirst(identities.get("reuse-waiting"), 1, 503)
                        .withRetryAfter(600)));
        var first = herald.startWorker();
        herald.send(
                Commands.aPush()
                        .withId("reuse-done")
                        .forIdentity(identities.get("reuse-done"))
                        .json(),
                Commands.aPush()
                        .withId("reuse-waiting")
                        .forIdentity(identities.get("reuse-waiting"))
                        .json(),
                Commands.aPush()
                        .withId("reuse-scheduled")
                        .forIdentity(identities.get("reuse-scheduled"))
                        .notBefore(Instant.now().plus(Duration.ofHours(1)))
                        .json());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "succeeded".equals(herald.status("reuse-done"))
                        && herald.count("SELECT count(*) FROM commands WHERE status = 'pending' AND attempts = 1"
                                        + " AND command_id = 'reuse-waiting'")
                                == 1
                        && herald.count("SELECT count(*) FROM parked") == 2
                        && herald.lag() == 0);
        var rows = "SELECT concat_ws(' ', command_id, status, attempts, last_error_class, next_attempt_at, updated_at)"
                + " FROM commands WHERE command_id <> 'reuse-new' ORDER BY command_id";
        var commands = herald.strings(rows);
        var parked = herald.strings("SELECT concat_ws(' ', command_id, source_offset, due_at) FROM parked ORDER BY 1");
        var calls = calls(identities);
        assertThat(calls).containsExactly(1, 1, 0, 0);

        var invalid = new ArrayList<byte[][]>();
        identities.forEach((id, identity) -> invalid.add(new byte[][] {
            identity.getBytes(StandardCharsets.UTF_8),
            ("{\"command_id\":\"" + id + "\",\"type\":\"explode\"}").getBytes(StandardCharsets.UTF_8)
        }));
        herald.sendRawAll(invalid);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.lag() == 0 && herald.count("SELECT count(*) FROM outbox") == 0);

        var letters = "SELECT concat_ws(' ', command_id, error_class, attempts, attempt_history IS NULL,"
                + " error LIKE '%belongs to a command the ledger already has%') FROM dead_letters ORDER BY command_id";
        var expected = List.of(
                "reuse-done invalid 0 t t",
                "reuse-new invalid 0 t f",
                "reuse-scheduled invalid 0 t t",
                "reuse-waiting invalid 0 t t");
        assertThat(herald.strings(letters)).as("one invalid letter per record").isEqualTo(expected);
        assertThat(herald.strings(rows)).as("the commands' rows").isEqualTo(commands);
        assertThat(herald.strings("SELECT concat_ws(' ', command_id, source_offset, due_at) FROM parked ORDER BY 1"))
                .isEqualTo(parked);
        assertThat(herald.status("reuse-new"))
                .as("a new id is the record's own")
                .isEqualTo("dead_lettered");
        assertThat(outcomes())
                .as("no outcome event for a record beside its command")
                .containsExactlyInAnyOrder("reuse-done succeeded", "reuse-new dead_lettered");

        first.shutdown(Duration.ofSeconds(10));
        var redelivered = redeliverFromTheLetters();
        herald.startWorker();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.lag() == 0 && herald.count("SELECT count(*) FROM outbox") == 0);

        assertThat(herald.strings(letters))
                .as("delivered again, no second letter")
                .isEqualTo(expected);
        assertThat(herald.readToEnd(herald.config().kafka().deadLetterTopic()))
                .as("one dead-letter topic record per invalid record")
                .hasSize(4);
        assertThat(herald.strings(rows)).isEqualTo(commands);
        assertThat(outcomes()).containsExactlyInAnyOrder("reuse-done succeeded", "reuse-new dead_lettered");
        assertThat(calls(identities)).as("OneAll calls per command").isEqualTo(calls);
        System.out.printf(
                "GUARANTEE reused ids: 4 invalid records, 3 under known ids, one letter each; %d delivered again at"
                        + " their offsets, no second letter; the commands' rows and calls unchanged%n",
                redelivered);
    }

    /** The OneAll calls of each command's identity, from the sandbox's journal. */
    private List<Integer> calls(Map<String, String> identities) {
        return identities.values().stream()
                .map(identity -> herald.sandbox().journal().forToken(identity).size())
                .toList();
    }

    /** The outcome events on the topic, as {@code command_id status}. */
    private List<String> outcomes() throws Exception {
        var events = new ArrayList<String>();
        for (var record : herald.readToEnd(herald.config().kafka().outcomesTopic())) {
            var event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.value());
            events.add(event.path("command_id").asText() + " "
                    + event.path("status").asText());
        }
        return events;
    }

    /**
     * Sets the stopped workers' group back to the first dead-lettered record of each partition, so that the next worker
     * consumes those records again at their offsets; returns how many records that is.
     */
    private long redeliverFromTheLetters() {
        var topic = herald.config().kafka().commandsTopic();
        var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
        for (var row :
                herald.strings("SELECT concat_ws(' ', original_partition, min(original_offset)) FROM dead_letters"
                        + " GROUP BY original_partition")) {
            var parts = row.split(" ");
            offsets.put(
                    new TopicPartition(topic, Integer.parseInt(parts[0])),
                    new OffsetAndMetadata(Long.parseLong(parts[1])));
        }
        try (var admin = Admin.create(Map.<String, Object>of(
                "bootstrap.servers", herald.config().kafka().bootstrapServers()))) {
            // the group is empty once the stopped worker's consumer has left it
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(() -> admin.alterConsumerGroupOffsets(
                                    herald.config().kafka().consumerGroup(), offsets)
                            .all()
                            .get());
        }
        long lag = herald.lag();
        assertThat(lag).as("records to consume again").isGreaterThanOrEqualTo(4);
        return lag;
    }
}
