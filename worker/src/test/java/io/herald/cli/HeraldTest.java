package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line as its users run it, in this JVM: what it prints and how it exits (docs/cli.md, Exit statuses). */
class HeraldTest {
    /** What one run printed and how it exited. */
    private record Run(int status, String out, String err) {}

    private static Run herald(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var line = Herald.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int status = line.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void a_wrong_command_line_exits_with_the_usage_status_not_the_configuration_one() {
        assertThat(herald("status").status()).as("a missing parameter").isEqualTo(ExitCodes.USAGE);
        assertThat(herald("replay", "--no-such-option").status())
                .as("an unknown option")
                .isEqualTo(ExitCodes.USAGE);
        assertThat(herald("no-such-subcommand").status()).isEqualTo(ExitCodes.USAGE);
        assertThat(herald("help", "no-such-subcommand").status()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void an_option_value_out_of_its_range_is_a_usage_error_said_before_any_setting_is_read() {
        var perPage = herald("messages", "--per-page", "501");
        assertThat(perPage.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(perPage.err())
                .contains("--per-page must be between 1 and 500, got 501")
                .contains("Usage: herald messages");
        assertThat(herald("console", "--port", "70000").status()).isEqualTo(ExitCodes.USAGE);
        assertThat(herald("replay", "--rate", "0").status()).isEqualTo(ExitCodes.USAGE);
        assertThat(herald("campaign", "spring-sale", "--interval-ms", "0").status())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(herald("replay", "--class", "exausted").err())
                .contains("--class exausted is no dead letter's class");
    }

    @Test
    void a_missing_setting_exits_with_the_configuration_status_naming_the_variable() {
        assumeThat(System.getenv("HERALD_DATABASE_URL"))
                .as("the test runs without a database configured")
                .isNull();

        var status = herald("status", "post-42");

        assertThat(status.status()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(status.err())
                .startsWith("herald: ")
                .contains("HERALD_DATABASE_URL")
                .doesNotContain("Exception");
        assertThat(herald("cancel", "post-42", "--json").status()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(herald("migrate").status()).isEqualTo(ExitCodes.CONFIGURATION);
    }

    @Test
    void a_failure_at_run_time_exits_with_the_runtime_status_and_a_one_line_reason() {
        var missing = herald("enqueue", "--bootstrap-servers", "127.0.0.1:1", "/no/such/commands.jsonl");

        assertThat(missing.status()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(missing.err()).isEqualTo("herald: no such file: /no/such/commands.jsonl" + System.lineSeparator());
    }

    @Test
    void herald_run_logs_on_stdout_and_every_other_subcommand_on_stderr_whose_stdout_is_its_answer() {
        assertThat(Herald.logTarget("run")).isEqualTo("System.out");
        assertThat(Herald.logTarget("run", "--drain-seconds", "20")).isEqualTo("System.out");
        for (var subcommand : new String[] {"console", "enqueue", "status", "replay", "migrate", "help"}) {
            assertThat(Herald.logTarget(subcommand, "--json")).as(subcommand).isEqualTo("System.err");
        }
        assertThat(Herald.logTarget()).isEqualTo("System.err");
    }

    @Test
    void version_help_and_completion_succeed() {
        var version = herald("--version");
        assertThat(version.status()).isEqualTo(ExitCodes.OK);
        assertThat(version.out())
                .as("the version and the commit the build wrote beside the classes")
                .matches("herald \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{7,}|unknown)\\)\\R");
        assertThat(herald("status", "--version").out()).startsWith("herald ");

        var help = herald("help");
        assertThat(help.status()).isEqualTo(ExitCodes.OK);
        assertThat(help.out())
                .contains("Usage: herald [-hV] [COMMAND]")
                .contains("replay")
                .contains("completion");
        assertThat(herald("help", "replay").out())
                .contains("Usage: herald replay")
                .contains("--dry-run")
                .contains("--json");

        var completion = herald("completion");
        assertThat(completion.status()).isEqualTo(ExitCodes.OK);
        assertThat(completion.out())
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_herald")
                .contains("--dry-run")
                .contains("identities");
    }
}
