package io.herald.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.store.jdbc.Jdbc;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The outbox's rows: deleted once Kafka has them. A row's {@code created_at} is its lease: the relay that holds a row
 * renews it, and a row whose lease is old (its relay died, or let it go after a failed send) is taken by a sweep.
 */
public final class OutboxStore {
    /** Outbox messages of a batch in one statement ({@code Records.outboxMessages}); their ids come back in order. */
    static final String INSERT = """
            INSERT INTO outbox (topic, record_key, record_value, headers, record_headers)
            SELECT * FROM unnest(?::text[], ?::bytea[], ?::bytea[], ?::jsonb[], ?::bytea[])
            RETURNING id
            """;

    /**
     * The outcome events of the commands a statement cancelled, to end it: it follows a common table expression named
     * {@code cancelled} whose rows have the commands' {@code command_id}, {@code type}, {@code attempts},
     * {@code campaign_id} and {@code metadata}; its one parameter is the outcomes topic. Each event is built as {@code
     * OutcomeEvents.event} builds one, set-based: no error, metadata and campaign when the command had them.
     */
    static final String CANCELLED_EVENTS = """
            INSERT INTO outbox (topic, record_key, record_value)
            SELECT ?, convert_to(command_id, 'UTF8'),
                   convert_to(jsonb_strip_nulls(jsonb_build_object('command_id', command_id, 'type', type, 'status', 'cancelled',
                       'attempts', attempts, 'campaign_id', campaign_id, 'metadata', metadata))::text, 'UTF8')
              FROM cancelled
            """;

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

    /**
     * Takes up to {@code limit} rows whose lease is older than {@code olderThanSeconds} (their relay died, was frozen,
     * or let them go after a failed send), leaving out {@code held}, the rows this relay holds already: their leases
     * are renewed in the same statement, so no other relay takes them while this one has them.
     */
    public List<OutboxRelayItem> take(int olderThanSeconds, int limit, List<Long> held) throws SQLException {
        return jdbc.inTransaction(connection -> Jdbc.query(
                connection,
                """
                WITH due AS (
                    SELECT id FROM outbox
                     WHERE created_at < now() - make_interval(secs => ?) AND NOT (id = ANY(?))
                     ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
                UPDATE outbox SET created_at = now() FROM due WHERE outbox.id = due.id
                RETURNING outbox.id, topic, record_key, record_value, headers::text, outbox.record_headers""",
                row -> new OutboxRelayItem(
                        row.getLong(1),
                        new OutboxMessage(
                                row.getString(2),
                                row.getBytes(3),
                                row.getBytes(4),
                                headers(row.getString(5)),
                                RecordHeaders.decode(row.getBytes(6)))),
                (double) olderThanSeconds,
                Jdbc.array(connection, "int8", held),
                limit));
    }

    /**
     * Renews the lease of the rows a relay holds (their {@code created_at}: when the row was written or its lease last
     * renewed) where it is older than {@code olderThanSeconds}, so that no sweep takes them while they wait in this
     * worker's producer.
     */
    public void renew(List<Long> ids, int olderThanSeconds) throws SQLException {
        if (!ids.isEmpty()) {
            jdbc.withConnection(connection ->
                    Jdbc.update(connection, """
                    UPDATE outbox SET created_at = now()
                     WHERE id = ANY(?) AND created_at < now() - make_interval(secs => ?)""", Jdbc.array(connection, "int8", ids), (double) olderThanSeconds));
        }
    }

    /** Rows waiting to be sent. */
    public long waiting() throws SQLException {
        return jdbc.queryOne("SELECT count(*) FROM outbox", row -> row.getLong(1))
                .orElse(0L);
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
