package io.herald.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Query results as JSON objects, one per row, named by column label, for the reports of the command line. */
public final class JsonRows {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonRows() {}

    public static Optional<ObjectNode> row(Connection connection, String sql, Object... args) throws SQLException {
        var rows = rows(connection, sql, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of((ObjectNode) rows.get(0));
    }

    public static ArrayNode rows(Connection connection, String sql, Object... args) throws SQLException {
        var array = MAPPER.createArrayNode();
        try (var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    array.add(toJson(rows));
                }
            }
        }
        return array;
    }

    public static ObjectNode toJson(ResultSet rows) throws SQLException {
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
