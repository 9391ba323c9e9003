package io.herald.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cli.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** herald-dev's command line: herald's conventions, with its own name and subcommands. */
class DevMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int heraldDev(String... args) {
        return DevMain.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void its_version_and_help_name_herald_dev_and_list_the_dev_subcommands() {
        assertThat(heraldDev("--version")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString())
                .as("the version and commit of herald-worker's build, or none from classes no build made")
                .matches(
                        "herald-dev (\\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{7,}|unknown)\\)|\\(development build\\))\\R");

        assertThat(heraldDev("help", "demo")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString())
                .contains("Usage: herald-dev demo")
                .contains("--keep")
                .contains("worker.log");
    }

    @Test
    void the_completion_script_covers_the_dev_subcommands_too() {
        assertThat(heraldDev("completion")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString())
                .contains("complete -F _complete_herald-dev")
                .contains("demo")
                .contains("--recipients")
                .contains("replay");
    }

    @Test
    void a_demo_or_bench_option_out_of_range_is_a_usage_error_before_anything_starts() {
        assertThat(heraldDev("demo", "--recipients", "1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--recipients must be 2 to 10,000").contains("Usage: herald-dev demo");
        assertThat(heraldDev("bench", "--fail-rate", "1")).isEqualTo(ExitCodes.USAGE);
    }
}
