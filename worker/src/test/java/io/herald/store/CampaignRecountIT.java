package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.jdbc.Jdbc;
import io.herald.testing.TestInfrastructure;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A campaign recipient that goes back from dead-lettered to pending (a replay, or an unknown outcome of a call never
 * sent undone) is counted out of its campaign's ended recipients, and the campaign it had completed is active again:
 * counted once when it ends once more, completed only when every recipient has truly ended.
 */
@Timeout(60)
class CampaignRecountIT {
    private final DataSource dataSource = TestInfrastructure.get().newMigratedDatabase();
    private final Jdbc jdbc = new Jdbc(dataSource);
    private final DeadLetterStore letters = new DeadLetterStore(dataSource);

    @Test
    void a_replayed_recipient_of_a_completed_campaign_is_counted_out_and_the_campaign_is_active_again()
            throws Exception {
        campaign("k1", 2, 2, "completed");
        command("k1:recipient:0", "republish", "k1", "succeeded");
        command("k1:recipient:1", "republish", "k1", "dead_lettered");

        letters.reopen("k1:recipient:1");

        assertThat(jdbc.queryOne(
                        "SELECT status || ' ' || recipients_ended || ' ' || (completed_at IS NULL) FROM campaigns WHERE campaign_id = 'k1'",
                        row -> row.getString(1)))
                .contains("active 1 true");
        assertThat(status("k1:recipient:1")).isEqualTo("pending");
    }

    @Test
    void a_command_that_is_no_recipient_or_was_not_dead_lettered_changes_no_count() throws Exception {
        campaign("k2", 3, 3, "completed");
        command("k2:refresh:1", "refresh", "k2", "dead_lettered");
        command("k2:recipient:0", "republish", "k2", "succeeded");
        command("standalone", "publish", null, "dead_lettered");

        letters.reopen("k2:refresh:1");
        letters.reopen("k2:recipient:0");
        letters.reopen("standalone");

        assertThat(jdbc.queryOne(
                        "SELECT status || ' ' || recipients_ended FROM campaigns WHERE campaign_id = 'k2'",
                        row -> row.getString(1)))
                .contains("completed 3");
        assertThat(status("k2:recipient:0"))
                .as("not dead-lettered: left as it is")
                .isEqualTo("succeeded");
        assertThat(status("standalone")).isEqualTo("pending");
    }

    @Test
    void an_unknown_outcome_of_a_call_never_sent_undone_counts_its_recipient_out() throws Exception {
        campaign("k3", 1, 1, "completed");
        command("k3:recipient:0", "publish", "k3", "dead_lettered");
        jdbc.update(
                "UPDATE commands SET last_error_class = 'unknown-outcome', attempts = 1 WHERE command_id = 'k3:recipient:0'");
        var change = LedgerChange.reopened(
                new CommandRef("k3:recipient:0", "publish", "key", "k3", null, null),
                new Source("herald.commands", 0, 0, 1),
                new LedgerChange.Guard.Unsent(1),
                false);

        boolean returned = jdbc.inTransaction(connection -> Unsent.returned(connection, change, 1));

        assertThat(returned).isTrue();
        assertThat(jdbc.queryOne(
                        "SELECT status || ' ' || recipients_ended FROM campaigns WHERE campaign_id = 'k3'",
                        row -> row.getString(1)))
                .contains("active 0");
    }

    private void campaign(String id, int total, int ended, String status) throws SQLException {
        jdbc.update(
                "INSERT INTO campaigns (campaign_id, recipients_total, recipients_ended, status, completed_at)"
                        + " VALUES (?, ?, ?, ?, CASE WHEN ? = 'completed' THEN now() END)",
                id,
                total,
                ended,
                status,
                status);
    }

    private void command(String id, String type, String campaignId, String status) throws SQLException {
        jdbc.update(
                "INSERT INTO commands (command_id, type, status, attempts, routing_key, campaign_id) VALUES (?, ?, ?, 1, 'key', ?)",
                id,
                type,
                status,
                campaignId);
    }

    private String status(String commandId) throws SQLException {
        return jdbc.queryOne("SELECT status FROM commands WHERE command_id = ?", row -> row.getString(1), commandId)
                .orElseThrow();
    }
}
