package io.herald.store;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.config.ConfigException;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: what is past its retention is pruned while commands flow, and nothing else: not a command pending, in
 * flight, parked for its schedule, of an active campaign, or with a dead letter not replayed, nor an ended command
 * within its retention (the defaults: 720 h for commands, 2160 h for dead letters and referral samples). A pruned id is
 * accepted again, and carried out, only past the ledger's retention; within it the ledger still refuses it.
 */
@Timeout(120)
class RetentionIT {
    private static final int AGED = 5_000;
    private static final int FLOWING = 300;

    private final WorkerHarness herald = new WorkerHarness()
            .with("HERALD_RETENTION_INTERVAL_S", "1")
            // a command failing with 503 waits for its retry while the prune runs
            .with("HERALD_RETRY_BACKOFF_MS", "20000")
            .with("HERALD_RETRY_MAX_BACKOFF_MS", "20000");
    private final String rejectedIdentity = token();

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void rows_past_their_retention_are_pruned_while_commands_flow_and_a_pruned_id_is_accepted_again_only_past_it() {
        var worker = herald.startWorker();
        await().atMost(Duration.ofSeconds(60)).until(() -> worker.notReadyReason() == null);
        var expiredIdentity = token();
        var keptIdentity = token();
        herald.sendAll(List.of(push("expired", expiredIdentity), push("kept", keptIdentity)));
        var hung = token();
        var failing = token();
        herald.sandbox()
                .setFaults(Faults.NONE
                        .withRule(FaultRule.hang(hung))
                        .withRule(FaultRule.failAlways(failing, 503))
                        .withRule(FaultRule.failAlways(rejectedIdentity, 400)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "succeeded".equals(herald.status("expired")) && "succeeded".equals(herald.status("kept")));
        herald.sendAll(List.of(
                push("in-flight", hung),
                push("retrying", failing),
                aPush().withId("scheduled")
                        .forIdentity(token())
                        .saying("scheduled")
                        .notBefore(Instant.now().plusSeconds(3600))
                        .json(),
                push("dead-lettered", rejectedIdentity)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "in_flight".equals(herald.status("in-flight"))
                        && herald.count("SELECT count(*) FROM parked WHERE command_id IN ('retrying', 'scheduled')")
                                == 2
                        && "dead_lettered".equals(herald.status("dead-lettered")));
        seedRowsOfEveryAge();

        var flowing = CompletableFuture.runAsync(this::sendFlowingCommands);
        age("31 days", "expired", "in-flight", "retrying", "scheduled", "dead-lettered");
        age("29 days", "kept");
        var notEnded = herald.strings(
                "SELECT command_id || '=' || status FROM commands WHERE command_id IN ('in-flight', 'retrying', 'scheduled')"
                        + " ORDER BY 1");
        assertThat(notEnded)
                .as("aged while not ended")
                .containsExactly("in-flight=in_flight", "retrying=pending", "scheduled=pending");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE command_id LIKE 'aged-%'") == 0
                        && herald.status("expired") == null
                        && herald.count("SELECT count(*) FROM dead_letters WHERE command_id = 'dl-old'") == 0
                        && herald.count("SELECT count(*) FROM referral_samples WHERE num_referrals = 1") == 0);
        flowing.join();

        assertThat(herald.strings(
                        "SELECT command_id FROM commands WHERE command_id = ANY(?::text[]) ORDER BY 1",
                        (Object) kept()))
                .as("what is still needed or within its retention is kept")
                .containsExactlyInAnyOrder(kept());
        assertThat(herald.count("SELECT count(*) FROM commands WHERE command_id = 'camp-done-r'"))
                .as("an ended command of an ended campaign, past its retention")
                .isZero();
        assertThat(herald.strings("SELECT command_id FROM dead_letters WHERE command_id LIKE 'dl-%' ORDER BY 1"))
                .containsExactly("dl-recent", "dl-replayed-recently");
        assertThat(herald.count("SELECT count(*) FROM referral_samples")).isEqualTo(1);
        assertThat(worker.metrics().counterTotal("herald_pruned_rows_total")).isGreaterThanOrEqualTo(AGED + 4);
        // on a busy machine a flowing command may wait for its retry (a claim grown too old to send)
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE command_id LIKE 'flowing-%'"
                                + " AND status = 'succeeded'")
                        == FLOWING);
        for (int i = 0; i < FLOWING; i += 37) {
            assertThat(callsSaying("flowing-" + i))
                    .as("flowing-" + i + " carried out once")
                    .isEqualTo(1);
        }

        herald.sendAll(List.of(
                push("expired", expiredIdentity), push("kept", keptIdentity), push("after-kept", keptIdentity)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "succeeded".equals(herald.status("after-kept"))
                        && "succeeded".equals(herald.status("expired")));
        assertThat(callsSaying("kept"))
                .as("an id within the ledger's retention is still refused")
                .isEqualTo(1);
        assertThat(callsSaying("expired"))
                .as("an id pruned past the ledger's retention is accepted again and carried out")
                .isEqualTo(2);
    }

    @Test
    void a_worker_whose_ledger_would_forget_commands_still_on_the_topic_refuses_to_start() {
        // the test broker keeps records 24 h, in segments of Kafka's default 168 h: 192 h on the topic at most
        var shortLived = new WorkerHarness().with("HERALD_RETENTION_COMMANDS_H", "100");
        try {
            assertThatThrownBy(shortLived::startWorker)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("HERALD_RETENTION_COMMANDS_H=100 must exceed")
                    .hasMessageContaining("(192 h: retention.ms plus segment.ms)");
        } finally {
            shortLived.close();
        }
    }

    private static String[] kept() {
        return new String[] {"kept", "in-flight", "retrying", "scheduled", "dead-lettered", "camp-active-r"};
    }

    private static String push(String id, String identity) {
        return aPush().withId(id).forIdentity(identity).saying(id).json();
    }

    private long callsSaying(String text) {
        return herald.sandbox()
                .journal()
                .entries(e -> e.excerpt() != null && e.excerpt().contains("\"" + text + "\""))
                .size();
    }

    /** Moves commands back in time, as if they had been created and had ended {@code ago}. */
    private void age(String ago, String... commandIds) {
        herald.count(
                "WITH aged AS (UPDATE commands SET created_at = now() - ?::interval, updated_at = now() - ?::interval"
                        + " WHERE command_id = ANY(?::text[]) RETURNING 1) SELECT count(*) FROM aged",
                ago,
                ago,
                commandIds);
    }

    /**
     * Ended commands, dead letters and referral samples written as they would be, with the ages that decide: enough
     * aged commands for several batches, an aged ended recipient of an active and of an ended campaign, dead letters
     * past and within their retention, and referral samples of both.
     */
    private void seedRowsOfEveryAge() {
        herald.count("""
                WITH a AS (INSERT INTO commands (command_id, type, status, routing_key, attempt_log, created_at, updated_at)
                           SELECT 'aged-' || i, 'push', 'succeeded', 'r' || (i % 97), '[{"attempt": 1}]'::jsonb,
                                  now() - interval '40 days', now() - interval '31 days'
                             FROM generate_series(1, ?) i RETURNING 1),
                     k AS (INSERT INTO campaigns (campaign_id, status) VALUES ('camp-active', 'active'), ('camp-done', 'completed')
                           RETURNING 1),
                     c AS (INSERT INTO commands (command_id, type, status, routing_key, campaign_id, created_at, updated_at)
                           VALUES ('camp-active-r', 'republish', 'succeeded', 'r', 'camp-active', now() - interval '40 days',
                                   now() - interval '40 days'),
                                  ('camp-done-r', 'republish', 'succeeded', 'r', 'camp-done', now() - interval '40 days',
                                   now() - interval '40 days') RETURNING 1),
                     d AS (INSERT INTO dead_letters (command_id, record_value, headers, error_class, error, failed_at, replayed_at)
                           VALUES ('dl-old', '\\x00', '{}', 'permanent', 'aged', now() - interval '91 days', NULL),
                                  ('dl-replayed-recently', '\\x00', '{}', 'permanent', 'aged', now() - interval '91 days',
                                   now() - interval '10 days'),
                                  ('dl-recent', '\\x00', '{}', 'permanent', 'recent', now() - interval '10 days', NULL)
                           RETURNING 1),
                     m AS (INSERT INTO sharing_messages (sharing_message_token) VALUES ('retention-message') RETURNING 1),
                     s AS (INSERT INTO short_urls (shorturl_token, sharing_message_token)
                           SELECT 'retention-url', 'retention-message' FROM m RETURNING 1)
                SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM k) + (SELECT count(*) FROM c)
                       + (SELECT count(*) FROM d) + (SELECT count(*) FROM s)""", AGED);
        herald.count("""
                WITH r AS (INSERT INTO referral_samples (shorturl_token, sampled_at, num_referrals)
                           VALUES ('retention-url', now() - interval '91 days', 1), ('retention-url', now() - interval '1 day', 2)
                           RETURNING 1) SELECT count(*) FROM r""");
    }

    /** Pushes sent in small groups while the prune runs. */
    private void sendFlowingCommands() {
        for (int from = 0; from < FLOWING; from += 50) {
            var group = new ArrayList<String>();
            for (int i = from; i < from + 50; i++) {
                group.add(push("flowing-" + i, token()));
            }
            herald.sendAll(group);
        }
    }
}
