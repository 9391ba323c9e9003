package io.herald.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.JsonLogs;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CommandLogTest {
    private final CommandLog log = CommandLog.of(CommandLogTest.class);

    @Test
    void a_json_line_about_a_command_carries_its_id_routing_key_partition_and_campaign_as_fields() throws Exception {
        var lines = JsonLogs.during(() -> log.warn(
                new CommandLog.About("post-42", "3f06e8d7", 7, "spring-sale"),
                "command {} waits: {}",
                "post-42",
                "its identity is held"));

        assertThat(lines).hasSize(1);
        var line = lines.get(0);
        assertThat(line.path("log.level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).isEqualTo("command post-42 waits: its identity is held");
        assertThat(line.path("herald.command_id").asText()).isEqualTo("post-42");
        assertThat(line.path("herald.routing_key").asText()).isEqualTo("3f06e8d7");
        assertThat(line.path("herald.partition").asText()).isEqualTo("7");
        assertThat(line.path("herald.campaign_id").asText()).isEqualTo("spring-sale");
    }

    @Test
    void the_fields_are_removed_after_the_line_so_that_the_next_line_of_the_thread_carries_none() throws Exception {
        var lines = JsonLogs.during(() -> {
            log.error(
                    new CommandLog.About("post-1", "key-1", 0, null),
                    "dead-lettered command {}",
                    "post-1",
                    new IllegalStateException("boom"));
            org.slf4j.LoggerFactory.getLogger(CommandLogTest.class).info("a line about no command");
        });

        assertThat(MDC.getCopyOfContextMap()).as("nothing left in the MDC").isNullOrEmpty();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).path("herald.command_id").asText()).isEqualTo("post-1");
        assertThat(lines.get(0).has("herald.campaign_id"))
                .as("an unknown part is left out")
                .isFalse();
        assertThat(lines.get(0).path("error.message").asText()).isEqualTo("boom");
        assertThat(lines.get(1).fieldNames()).toIterable().noneMatch(field -> field.startsWith("herald."));
    }
}
