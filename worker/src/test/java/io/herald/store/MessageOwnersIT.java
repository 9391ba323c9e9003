package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.OtherCommands;
import io.herald.store.jdbc.Jdbc;
import io.herald.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the ledger tells a lost publish's read-back of other commands, on a real PostgreSQL: the messages recorded as
 * another command's effect, and the other publishes to the target whose message the ledger does not know.
 */
@Timeout(60)
class MessageOwnersIT {
    private static final String TARGET = "user-1";
    private static final String BODY = "{\"command_id\":\"%s\",\"type\":\"publish\",\"sharing_message\":{\"parts\":"
            + "{\"text\":{\"body\":\"Hi all\"}},\"publish_for_user\":{\"user_token\":\"user-1\",\"providers\":[\"x\"]}}}";

    private final DataSource dataSource = TestInfrastructure.get().newMigratedDatabase();
    private final Jdbc jdbc = new Jdbc(dataSource);
    private final MessageOwners owners = new MessageOwners(dataSource);

    private void command(String id, String type, String status, String routingKey, String attemptLog, String result)
            throws Exception {
        jdbc.update(
                "INSERT INTO commands (command_id, type, status, routing_key, attempt_log, result)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)",
                id,
                type,
                status,
                routingKey,
                attemptLog,
                result);
    }

    private void deadLetter(String id, String errorClass, String body) throws Exception {
        jdbc.update(
                "INSERT INTO dead_letters (command_id, type, record_value, headers, error_class, error)"
                        + " VALUES (?, 'publish', ?, '{}'::jsonb, ?, 'lost')",
                id,
                body.getBytes(StandardCharsets.UTF_8),
                errorClass);
    }

    private static final String UNKNOWN = "[{\"attempt\": 1, \"error_class\": \"unknown-outcome\"}]";

    @Test
    void a_message_made_or_published_by_another_command_is_owned_and_the_commands_own_is_not() throws Exception {
        for (var token : List.of("m1", "m2", "m3")) {
            jdbc.update("INSERT INTO sharing_messages (sharing_message_token) VALUES (?)", token);
        }
        jdbc.update("UPDATE sharing_messages SET command_id = 'first' WHERE sharing_message_token = 'm1'");
        jdbc.update("UPDATE sharing_messages SET command_id = 'lost' WHERE sharing_message_token = 'm3'");
        jdbc.update("INSERT INTO publications (sharing_message_token, command_id, provider, publication_key)"
                + " VALUES ('m2', 'a-republish', 'x', 'k')");

        var others = owners.around(
                "lost", TARGET, List.of("m1", "m2", "m3", "m4"), Instant.now().minusSeconds(60));

        assertThat(others.owners()).isEqualTo(Map.of("m1", "first", "m2", "a-republish"));
        assertThat(others.unsettled()).isEmpty();
    }

    @Test
    void other_publishes_to_the_target_whose_message_is_unknown_are_unsettled_with_their_parts_when_kept()
            throws Exception {
        command("lost", "publish", "in_flight", TARGET, null, null);
        command("in-flight", "publish", "in_flight", TARGET, null, null);
        command("dead-unknown", "publish", "dead_lettered", TARGET, UNKNOWN, null);
        deadLetter("dead-unknown", "unknown-outcome", BODY.formatted("dead-unknown"));
        command("conflicted", "publish", "dead_lettered", TARGET, UNKNOWN, null);
        deadLetter("conflicted", "conflict", BODY.formatted("another-body"));
        command("unrecorded", "publish", "succeeded", TARGET, null, null);
        command("recorded", "publish", "succeeded", TARGET, UNKNOWN, "{\"sharing_message\": {}}");
        command(
                "permanent",
                "publish",
                "dead_lettered",
                TARGET,
                "[{\"attempt\": 1, \"error_class\": \"permanent\"}]",
                null);
        command("long-ago", "publish", "dead_lettered", TARGET, UNKNOWN, null);
        jdbc.update("UPDATE commands SET updated_at = now() - interval '1 hour' WHERE command_id = 'long-ago'");
        command("other-target", "publish", "in_flight", "user-2", null, null);
        command("a-push", "push", "in_flight", TARGET, null, null);

        var others = owners.around("lost", TARGET, List.of(), Instant.now().minus(Duration.ofMinutes(2)));

        assertThat(others.unsettled())
                .extracting(OtherCommands.Unsettled::commandId)
                .containsExactly("conflicted", "dead-unknown", "in-flight", "unrecorded");
        assertThat(others.unsettled())
                .filteredOn(other -> other.parts() != null)
                .singleElement()
                .satisfies(other -> {
                    assertThat(other.commandId()).isEqualTo("dead-unknown");
                    assertThat(other.parts().path("text").path("body").asText()).isEqualTo("Hi all");
                });
    }
}
