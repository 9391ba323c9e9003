package io.herald.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** A command's record as {@code herald status} and the console show it: its row, its attempts, its dead letters, what OneAll made of it. */
public final class CommandRecords {
    private CommandRecords() {}

    /** The command as one JSON object, or empty when it has no row. */
    public static Optional<ObjectNode> find(DataSource dataSource, String commandId) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var command = JsonRows.row(connection, """
                    SELECT c.command_id, c.type, c.status, c.attempts, c.last_error, c.last_error_class, c.campaign_id, c.routing_key,
                           c.endpoint, c.source_topic, c.source_partition, c.source_offset, c.metadata, c.result, c.progress,
                           c.next_attempt_at, c.claimed_by, c.created_at, c.updated_at,
                           p.scheduled AS scheduled, p.due_at AS waiting_until, coalesce(c.attempt_log, '[]'::jsonb) AS attempt_history
                      FROM commands c LEFT JOIN parked p ON p.command_id = c.command_id WHERE c.command_id = ?""", commandId);
            if (command.isEmpty()) {
                return Optional.empty();
            }
            var node = command.get();
            node.set("dead_letters", JsonRows.rows(connection, """
                    SELECT id, error_class, error, http_status, attempts, failed_at, replayed_at, replay_count, superseded_at
                      FROM dead_letters WHERE command_id = ? ORDER BY id""", commandId));
            node.set("publications", JsonRows.rows(connection, """
                    SELECT p.sharing_message_token, p.provider, p.user_token, p.identity_token, p.status_flag, p.status_code, p.date_publication,
                           (SELECT coalesce(sum(s.num_referrals), 0) FROM short_urls s WHERE s.publication_id = p.id) AS referrals
                      FROM publications p WHERE p.command_id = ? ORDER BY p.id""", commandId));
            node.set("short_urls", JsonRows.rows(connection, """
                    SELECT s.short_url, s.original_url, s.num_referrals FROM short_urls s JOIN publications p ON p.id = s.publication_id
                     WHERE p.command_id = ? ORDER BY s.shorturl_token""", commandId));
            node.set(
                    "push_result",
                    JsonRows.row(connection, """
                    SELECT provider, object, post_id, post_location FROM push_results WHERE command_id = ?""", commandId)
                            .map(ObjectNode.class::cast)
                            .orElse(null));
            return Optional.of(node);
        }
    }
}
