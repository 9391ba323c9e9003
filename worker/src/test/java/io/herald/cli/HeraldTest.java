package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeraldTest {
    @Test
    void a_wrong_command_line_exits_with_the_usage_status_not_the_configuration_one() {
        assertThat(Herald.execute("status")).as("a missing parameter").isEqualTo(ExitCodes.USAGE);
        assertThat(Herald.execute("replay", "--no-such-option")).as("an unknown option").isEqualTo(ExitCodes.USAGE);
        assertThat(Herald.execute("no-such-subcommand")).isEqualTo(ExitCodes.USAGE);
    }
}
