package io.herald.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** A command's record and its attempts, as {@code herald status} shows them. */
public final class CommandStatus {
    private CommandStatus() {}

    /** The command as one JSON object: its row, {@code attempts}, {@code dead_letters} and what OneAll made of it. */
    public static Optional<ObjectNode> find(DataSource dataSource, String commandId) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var command = JsonRows.row(connection, """
                    SELECT command_id, type, status, attempts, last_error, last_error_class, campaign_id, routing_key,
                           source_topic, source_partition, source_offset, metadata, result, next_attempt_at, claimed_by,
                           created_at, updated_at
                      FROM commands WHERE command_id = ?""", commandId);
            if (command.isEmpty()) {
                return Optional.empty();
            }
            var node = command.get();
            node.set("attempt_history", JsonRows.rows(connection, """
                    SELECT attempt, worker_id, started_at, duration_ms, http_status, oneall_flag, oneall_info, error_class, error
                      FROM attempts WHERE command_id = ? ORDER BY attempt""", commandId));
            node.set("dead_letters", JsonRows.rows(connection, """
                    SELECT id, error_class, error, http_status, attempts, failed_at, replayed_at, replay_count
                      FROM dead_letters WHERE command_id = ? ORDER BY id""", commandId));
            node.set("publications", JsonRows.rows(connection, """
                    SELECT p.sharing_message_token, p.provider, p.identity_token, p.status_flag, p.status_code,
                           (SELECT coalesce(sum(s.num_referrals), 0) FROM short_urls s WHERE s.publication_id = p.id) AS referrals
                      FROM publications p WHERE p.command_id = ? ORDER BY p.id""", commandId));
            node.set("push_result", JsonRows.row(connection, """
                    SELECT provider, object, post_id, post_location FROM push_results WHERE command_id = ?""", commandId)
                    .map(ObjectNode.class::cast).orElse(null));
            return Optional.of(node);
        }
    }
}
