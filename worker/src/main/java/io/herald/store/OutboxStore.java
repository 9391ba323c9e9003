package io.herald.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The outbox's rows: deleted once Kafka has them; those left behind (a worker that died before sending) swept up. */
public final class OutboxStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Jdbc jdbc;

    public OutboxStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public void delete(List<Long> ids) throws SQLException {
        if (!ids.isEmpty()) {
            jdbc.withConnection(connection -> Jdbc.update(
                    connection, "DELETE FROM outbox WHERE id = ANY(?)", Jdbc.array(connection, "int8", ids)));
        }
    }

    /** Work on rows older than {@code olderThanSeconds} that no other worker is sweeping, in a transaction that holds them. */
    public interface Sweep {
        /** Sends the rows; returns the ids Kafka has, which are deleted when the transaction commits. */
        List<Long> send(List<OutboxRelayItem> items) throws SQLException;
    }

    public int sweep(int olderThanSeconds, int limit, Sweep sweep) throws SQLException {
        return jdbc.inTransaction(connection -> {
            var items = Jdbc.query(
                    connection,
                    """
                    SELECT id, topic, record_key, record_value, headers::text FROM outbox
                     WHERE created_at < now() - make_interval(secs => ?) ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""",
                    row -> new OutboxRelayItem(
                            row.getLong(1),
                            new OutboxMessage(
                                    row.getString(2), row.getBytes(3), row.getBytes(4), headers(row.getString(5)))),
                    (double) olderThanSeconds,
                    limit);
            if (items.isEmpty()) {
                return 0;
            }
            var sent = sweep.send(items);
            deleteIn(connection, sent);
            return sent.size();
        });
    }

    /** Rows waiting to be sent. */
    public long waiting() throws SQLException {
        return jdbc.queryOne("SELECT count(*) FROM outbox", row -> row.getLong(1))
                .orElse(0L);
    }

    private static void deleteIn(Connection connection, List<Long> ids) throws SQLException {
        if (!ids.isEmpty()) {
            Jdbc.update(connection, "DELETE FROM outbox WHERE id = ANY(?)", Jdbc.array(connection, "int8", ids));
        }
    }

    private static Map<String, String> headers(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            throw new IllegalStateException("unreadable outbox headers: " + json, e);
        }
    }
}
