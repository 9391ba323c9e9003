package io.herald.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** A command's record and its attempts, as {@code herald status} shows them. */
public final class CommandStatus {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CommandStatus() {}

    /** The command as one JSON object: its row, {@code attempts}, {@code dead_letters} and what OneAll made of it. */
    public static Optional<ObjectNode> find(DataSource dataSource, String commandId) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var command = row(connection, """
                    SELECT command_id, type, status, attempts, last_error, last_error_class, campaign_id, routing_key,
                           source_topic, source_partition, source_offset, metadata, result, next_attempt_at, claimed_by,
                           created_at, updated_at
                      FROM commands WHERE command_id = ?""", commandId);
            if (command.isEmpty()) {
                return Optional.empty();
            }
            var node = command.get();
            node.set("attempt_history", rows(connection, """
                    SELECT attempt, worker_id, started_at, duration_ms, http_status, oneall_flag, oneall_info, error_class, error
                      FROM attempts WHERE command_id = ? ORDER BY attempt""", commandId));
            node.set("dead_letters", rows(connection, """
                    SELECT id, error_class, error, http_status, attempts, failed_at, replayed_at, replay_count
                      FROM dead_letters WHERE command_id = ? ORDER BY id""", commandId));
            node.set("publications", rows(connection, """
                    SELECT p.sharing_message_token, p.provider, p.identity_token, p.status_flag, p.status_code,
                           (SELECT coalesce(sum(s.num_referrals), 0) FROM short_urls s WHERE s.publication_id = p.id) AS referrals
                      FROM publications p WHERE p.command_id = ? ORDER BY p.id""", commandId));
            node.set("push_result", row(connection, """
                    SELECT provider, object, post_id, post_location FROM push_results WHERE command_id = ?""", commandId)
                    .map(ObjectNode.class::cast).orElse(null));
            return Optional.of(node);
        }
    }

    private static Optional<ObjectNode> row(Connection connection, String sql, String id) throws SQLException {
        var rows = rows(connection, sql, id);
        return rows.isEmpty() ? Optional.empty() : Optional.of((ObjectNode) rows.get(0));
    }

    private static ArrayNode rows(Connection connection, String sql, String id) throws SQLException {
        var array = MAPPER.createArrayNode();
        try (var statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    array.add(toJson(rows));
                }
            }
        }
        return array;
    }

    private static ObjectNode toJson(ResultSet rows) throws SQLException {
        var node = MAPPER.createObjectNode();
        var meta = rows.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            var name = meta.getColumnLabel(i);
            var value = rows.getObject(i);
            if (value == null) {
                node.putNull(name);
            } else if (value instanceof Number number) {
                node.put(name, number.longValue());
            } else if (value instanceof java.sql.Timestamp timestamp) {
                node.put(name, timestamp.toInstant().toString());
            } else if ("jsonb".equals(meta.getColumnTypeName(i))) {
                try {
                    node.set(name, MAPPER.readTree(value.toString()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    node.put(name, value.toString());
                }
            } else {
                node.put(name, value.toString());
            }
        }
        return node;
    }
}
