package io.herald.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.store.jdbc.Jdbc;
import io.herald.store.jdbc.Migrations;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An operator's cancel of a campaign against the real PostgreSQL, meeting the ledger writer's locks. */
@Timeout(60)
class CampaignLifecycleIT {
    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    /**
     * The ledger writer records a recipient's outcome (its {@code commands} row) and then counts it ended (the
     * campaign's row); a cancel takes the campaign's row and then its waiting recipients'. Here a transaction does
     * what the writer does, between the cancel's two steps, so the two deadlock and PostgreSQL aborts the cancel,
     * which waited first. The cancel is tried again and succeeds; before, the operator got "deadlock detected"
     * (seen in a CI run of {@code CampaignIT}'s cancel test, its worker writing outcomes as the test cancelled).
     */
    @Test
    void a_cancel_that_meets_the_ledger_writer_in_a_deadlock_is_tried_again_and_cancels() throws Exception {
        Migrations.apply(herald.database());
        var jdbc = new Jdbc(herald.database());
        jdbc.withConnection(connection -> {
            Jdbc.update(connection, "INSERT INTO campaigns (campaign_id) VALUES ('sale')");
            Jdbc.update(connection, """
                    INSERT INTO commands (command_id, type, status, campaign_id, routing_key)
                    VALUES ('sale:1', 'republish', 'pending', 'sale', 'user-1'),
                           ('sale:2', 'republish', 'in_flight', 'sale', 'user-2')""");
            return null;
        });
        long deadlocksBefore = deadlocks();

        try (var writer = herald.database().getConnection()) {
            writer.setAutoCommit(false);
            // the cancel waits first, so its deadlock check runs first and picks it as the one to abort
            Jdbc.update(writer, "SET LOCAL deadlock_timeout = '20s'");
            Jdbc.update(writer, "UPDATE commands SET updated_at = now() WHERE command_id = 'sale:1'");

            var cancel = CompletableFuture.supplyAsync(() -> {
                try {
                    return new CampaignLifecycle(jdbc, "outcomes").cancel("sale");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> herald.count("""
                    SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%cancelled%'""") == 1);
            Jdbc.update(
                    writer, "UPDATE campaigns SET recipients_ended = recipients_ended + 1 WHERE campaign_id = 'sale'");
            writer.commit();

            assertThat(cancel.get()).as("the cancel, done").isTrue();
        }

        assertThat(herald.string("SELECT status FROM campaigns WHERE campaign_id = 'sale'"))
                .isEqualTo("cancelled");
        assertThat(herald.status("sale:1")).isEqualTo("cancelled");
        assertThat(herald.status("sale:2")).as("in flight, so still sent").isEqualTo("in_flight");
        assertThat(herald.count("SELECT recipients_ended FROM campaigns WHERE campaign_id = 'sale'"))
                .as("the writer's recipient and the cancelled one")
                .isEqualTo(2);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(deadlocks())
                        .as("deadlocks PostgreSQL detected in this database")
                        .isEqualTo(deadlocksBefore + 1));
    }

    private long deadlocks() {
        return herald.count("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
    }
}
