package io.herald.cli;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.testing.HeraldCli;
import io.herald.testing.WorkerHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With --json, what a subcommand reports is JSON on stdout, one object (or one a line), with the facts of its text. */
@Timeout(180)
class JsonOutputIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    private HeraldCli.Run herald(String... args) {
        return HeraldCli.run(herald.environment(), args);
    }

    private static List<JsonNode> lines(String out) {
        return out.lines()
                .filter(line -> !line.isBlank())
                .map(JsonOutputIT::read)
                .toList();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }

    @Test
    void enqueue_replay_and_its_dry_run_report_json_lines_with_the_facts_of_their_text() throws IOException {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failAlways(identity, 404)));
        herald.startWorker();
        var file = Files.createTempFile("json-output-it", ".jsonl");
        Files.writeString(
                file, aPush().withId("json-dead").forIdentity(identity).json() + "\n{\"type\":\"push\"}\n");

        var enqueue = herald("enqueue", "--json", file.toString());

        assertThat(enqueue.exitCode()).as("a line was rejected").isEqualTo(ExitCodes.RUNTIME);
        var summary = read(enqueue.out());
        assertThat(summary.path("lines").asLong()).isEqualTo(2);
        assertThat(summary.path("sent").asLong()).isEqualTo(1);
        assertThat(summary.path("rejected").asLong()).isEqualTo(1);
        assertThat(summary.path("failed").asLong()).isZero();
        assertThat(lines(enqueue.err()))
                .filteredOn(line -> line.has("line"))
                .singleElement()
                .satisfies(
                        rejection -> assertThat(rejection.path("line").asLong()).isEqualTo(2))
                .satisfies(rejection ->
                        assertThat(rejection.path("error").asText()).isNotBlank());
        await().atMost(Duration.ofSeconds(30)).until(() -> "dead_lettered".equals(herald.status("json-dead")));

        var dryRun = lines(herald("replay", "--dry-run", "--json").out());

        assertThat(dryRun).hasSize(2);
        assertThat(dryRun.get(0).path("command_id").asText()).isEqualTo("json-dead");
        assertThat(dryRun.get(0).path("action").asText()).isEqualTo("would_replay");
        assertThat(dryRun.get(0).path("error_class").asText()).isEqualTo("permanent");
        assertThat(dryRun.get(1).toString())
                .isEqualTo("{\"dry_run\":true,\"would_replay\":1,\"skipped\":0,\"dead_letters\":1}");
        assertThat(herald.sandbox().journal().forToken(identity))
                .as("a dry run sends nothing")
                .hasSize(1);

        herald.sandbox().setFaults(Faults.NONE);
        var replay = lines(herald("replay", "--json").out());

        assertThat(replay.get(0).path("action").asText()).isEqualTo("replayed");
        assertThat(replay.get(1).toString())
                .isEqualTo("{\"dry_run\":false,\"replayed\":1,\"skipped\":0,\"dead_letters\":1}");
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("json-dead")));
    }

    @Test
    void cancel_migrate_and_identities_report_one_json_object_a_refusal_too() {
        herald.startWorker();
        herald.send(aPush().withId("json-later")
                .forIdentity(token())
                .notBefore(Instant.now().plusSeconds(120))
                .json());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.count("SELECT count(*) FROM parked WHERE command_id = 'json-later'") == 1);

        var cancelled = herald("cancel", "json-later", "--json");
        var again = herald("cancel", "json-later", "--json");

        assertThat(cancelled.exitCode()).isZero();
        var result = read(cancelled.out());
        assertThat(result.path("command_id").asText()).isEqualTo("json-later");
        assertThat(result.path("cancelled").asBoolean()).isTrue();
        assertThat(result.path("was").asText()).startsWith("scheduled for ");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(read(again.out()).toString())
                .isEqualTo("{\"command_id\":\"json-later\",\"cancelled\":false,\"status\":\"cancelled\","
                        + "\"reason\":\"it ended cancelled\"}");
        assertThat(again.err()).contains("herald: command json-later is not cancelled: it ended cancelled");

        var migrate = herald("migrate", "--json");
        assertThat(migrate.exitCode()).isZero();
        assertThat(read(migrate.out()).path("migrations_applied").asInt())
                .as("the worker applied them at start")
                .isZero();
        assertThat(read(migrate.out()).path("schema_version").asText()).isNotBlank();

        assertThat(read(herald("identities", "--json").out()).toString()).isEqualTo("{\"identities\":[]}");
        var notHeld = herald("identities", "--resume", "nobody", "--json");
        assertThat(notHeld.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(notHeld.out()).isEmpty();
    }
}
