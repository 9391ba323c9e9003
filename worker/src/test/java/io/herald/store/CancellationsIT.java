package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.route.OutcomeEvents;
import io.herald.store.jdbc.Jdbc;
import io.herald.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one cancel statement ({@link LedgerSql}) on a real PostgreSQL, for one command and for a campaign's recipients:
 * what ends {@code cancelled}, what leaves the parking table, what a campaign counts, and the outcome event the SQL
 * builds, which must be the event {@link OutcomeEvents} builds in Java.
 */
@Timeout(60)
class CancellationsIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DataSource dataSource = TestInfrastructure.get().newMigratedDatabase();
    private final Jdbc jdbc = new Jdbc(dataSource);
    private final Cancellations cancellations = new Cancellations(dataSource, "outcomes");

    @Test
    void a_waiting_recipient_cancelled_leaves_the_parking_table_counts_as_ended_and_gets_the_java_event()
            throws Exception {
        campaign("k1");
        command("k1:recipient:0", "publish", "k1", "pending", "{\"order\": \"42\"}");
        park("k1:recipient:0");

        var result = cancellations.cancel("k1:recipient:0", "alice");

        assertThat(result).isInstanceOf(Cancellations.Result.Cancelled.class);
        assertThat(text("SELECT status || ' ' || last_error FROM commands WHERE command_id = 'k1:recipient:0'"))
                .isEqualTo("cancelled cancelled by alice");
        assertThat(count("SELECT count(*) FROM parked")).isZero();
        assertThat(count("SELECT recipients_ended FROM campaigns WHERE campaign_id = 'k1'"))
                .isEqualTo(1);
        assertThat(events())
                .containsExactly(MAPPER.readTree(OutcomeEvents.event(
                                "outcomes",
                                "k1:recipient:0",
                                "publish",
                                "cancelled",
                                2,
                                "k1",
                                Map.of("order", "42"),
                                null,
                                null)
                        .value()));
    }

    @Test
    void a_command_not_consumed_yet_cancelled_gets_the_java_event_of_an_unknown_command() throws Exception {
        var result = cancellations.cancel("never-seen", "bob");

        assertThat(result).isInstanceOf(Cancellations.Result.Cancelled.class);
        assertThat(text("SELECT status || ' ' || type FROM commands WHERE command_id = 'never-seen'"))
                .isEqualTo("cancelled unknown");
        assertThat(events())
                .containsExactly(MAPPER.readTree(
                        OutcomeEvents.event("outcomes", "never-seen", "unknown", "cancelled", 0, null, null, null, null)
                                .value()));
    }

    @Test
    void a_campaigns_cancel_ends_its_waiting_recipients_once_each_and_counts_every_one() throws Exception {
        campaign("k2");
        command("k2:recipient:0", "publish", "k2", "pending", null);
        command("k2:recipient:1", "republish", "k2", "pending", null);
        command("k2:recipient:2", "publish", "k2", "in_flight", null);
        command("k2:refresh:1", "refresh", "k2", "pending", null);
        command("other", "publish", "k3", "pending", null);
        park("k2:recipient:0");
        park("k2:recipient:1");
        park("other");

        jdbc.inTransaction(connection -> {
            Cancellations.cancelRecipients(connection, "k2", "outcomes");
            return null;
        });

        assertThat(jdbc.query(
                        "SELECT command_id || ' ' || status FROM commands ORDER BY command_id",
                        row -> row.getString(1)))
                .containsExactly(
                        "k2:recipient:0 cancelled",
                        "k2:recipient:1 cancelled",
                        "k2:recipient:2 in_flight",
                        "k2:refresh:1 cancelled",
                        "other pending");
        assertThat(jdbc.query("SELECT command_id FROM parked", row -> row.getString(1)))
                .containsExactly("other");
        assertThat(count("SELECT recipients_ended FROM campaigns WHERE campaign_id = 'k2'"))
                .as("both recipients, the refresh no recipient")
                .isEqualTo(2);
        assertThat(events()).hasSize(3);
    }

    private List<JsonNode> events() throws Exception {
        var events = new ArrayList<JsonNode>();
        for (var value : jdbc.query("SELECT record_value FROM outbox ORDER BY id", row -> row.getBytes(1))) {
            events.add(MAPPER.readTree(new String(value, StandardCharsets.UTF_8)));
        }
        return events;
    }

    private void campaign(String id) throws SQLException {
        jdbc.update(
                "INSERT INTO campaigns (campaign_id, recipients_total, recipients_ended, status) VALUES (?, 10, 0, 'active')",
                id);
    }

    private void command(String id, String type, String campaignId, String status, String metadata)
            throws SQLException {
        jdbc.update(
                "INSERT INTO commands (command_id, type, status, attempts, routing_key, campaign_id, metadata,"
                        + " last_error_class) VALUES (?, ?, ?, 2, 'key', ?, ?::jsonb, 'transient')",
                id,
                type,
                status,
                campaignId,
                metadata);
    }

    private void park(String id) throws SQLException {
        jdbc.update(
                "INSERT INTO parked (command_id, topic, partition, routing_key, position, due_at, scheduled, source_offset,"
                        + " payload) VALUES (?, 'herald.commands', 0, 'key', nextval('parked_position_seq'), now(), false, 1,"
                        + " ''::bytea)",
                id);
    }

    private String text(String sql) throws SQLException {
        return jdbc.queryOne(sql, row -> row.getString(1)).orElseThrow();
    }

    private long count(String sql) throws SQLException {
        return jdbc.queryOne(sql, row -> row.getLong(1)).orElseThrow();
    }
}
