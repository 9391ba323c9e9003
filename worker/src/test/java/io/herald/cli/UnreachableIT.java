package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.HeraldCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command line pointed at a broker or a database that is not there ({@code 127.0.0.1:1}, where nothing listens) ends
 * within 15 s with one line naming the address and the cause, exit status 69, and none of the Kafka client's own
 * warnings; the lines given to {@code herald enqueue} are checked and reported all the same.
 */
@Timeout(120)
class UnreachableIT {
    private static final String VALID = "{\"command_id\":\"c1\",\"type\":\"push\","
            + "\"identity_token\":\"9a76c7f6-3705-48a8-8ea6-e862ed86d5d8\",\"endpoint\":\"twitter/post\","
            + "\"push\":{\"post\":{\"message\":\"Hello\"}}}";

    private static Path commands(Path dir) throws IOException {
        var file = dir.resolve("commands.jsonl");
        Files.write(file, List.of(VALID, "{\"command_id\":\"c2\",\"type\":\"push\"}", "not json"));
        return file;
    }

    @Test
    void enqueue_to_a_broker_that_is_not_there_reports_its_invalid_lines_then_one_line_within_15_s(@TempDir Path dir)
            throws IOException {
        var run = HeraldCli.run(
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"),
                60,
                "enqueue",
                commands(dir).toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.errLines())
                .as("the invalid lines, then the reason, and nothing of the Kafka client's own")
                .hasSize(3);
        assertThat(run.errLines().get(0)).startsWith("line 2: ");
        assertThat(run.errLines().get(1)).startsWith("line 3: ");
        assertThat(run.errLines().get(2))
                .isEqualTo("herald: cannot reach Kafka at 127.0.0.1:1: no broker answered within 10 s"
                        + " (security.protocol PLAINTEXT)");
        assertThat(run.seconds()).isLessThan(15);
        System.out.printf(
                "[herald-test] enqueue to 127.0.0.1:1: %s in %.1f s%n",
                run.errLines().get(2), run.seconds());
    }

    @Test
    void a_dry_run_checks_every_line_without_a_broker(@TempDir Path dir) throws IOException {
        var run = HeraldCli.run(
                Map.of(), 30, "enqueue", "--dry-run", commands(dir).toString());

        assertThat(run.exitCode()).as("a line was rejected").isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.errLines()).hasSize(2);
        assertThat(run.out()).startsWith("1 valid, 2 rejected of 3 lines in ").contains("nothing sent");
    }

    @Test
    void a_subcommand_whose_database_is_not_there_says_so_in_one_line_within_15_s() {
        var run = HeraldCli.run(
                Map.of("HERALD_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/herald?password=not-shown"),
                60,
                "status",
                "post-42");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.errLines())
                .containsExactly("herald: cannot reach PostgreSQL at 127.0.0.1:1/herald:"
                        + " Connection to 127.0.0.1:1 refused");
        assertThat(run.seconds()).isLessThan(15);
    }
}
