package io.herald.console;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.campaign;
import static io.herald.testing.Commands.publishForUser;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.testing.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A workload like the demo's with what an operator comes to the console for: {@value #SINGLES} publishes and as many
 * pushes that succeed; five accounts that answer 503 until they are repaired (their pushes end exhausted); an identity
 * whose credentials OneAll refuses (held); a campaign whose recipients are all refused (it stays active, its publisher
 * held); hostile text in a command that OneAll refuses (404, a permanent dead letter) and in one it takes; an invalid
 * record with a hostile id; and a command a dead worker left in flight (an unknown outcome).
 */
final class OperatorWorkload {
    static final int SINGLES = 150;
    static final String XSS = "<script>alert(1)</script>";
    static final String XSS_METADATA = "<img src=x onerror=alert(2)>";
    static final String XSS_ID = "<script>alert(3)</script>";

    final List<String> broken = IntStream.range(0, 5).mapToObj(i -> token()).toList();
    final String revoked = token();
    private final String orphan = token();
    private final String unknownUser = token();
    private final List<String> heldRecipients = List.of(token(), token(), token());
    private final WorkerHarness herald;

    OperatorWorkload(WorkerHarness herald) {
        this.herald = herald;
    }

    /** The faults of the accounts that fail, before the worker starts. */
    void breakAccounts() {
        var faults = Faults.NONE
                .withRule(FaultRule.failAlways(revoked, 401))
                .withRule(FaultRule.failAlways(unknownUser, 404));
        for (var identity : broken) {
            faults = faults.withRule(FaultRule.failAlways(identity, 503));
        }
        for (var user : heldRecipients) {
            faults = faults.withRule(FaultRule.failAlways(user, 401));
        }
        herald.sandbox().setFaults(faults);
    }

    /** Sends it all (once the worker has migrated the database) and waits until each command is where it stays. */
    void sendAndSettle() throws SQLException {
        leaveInFlight("orphan-push", orphan);
        var commands = new ArrayList<String>();
        for (int i = 0; i < SINGLES; i++) {
            commands.add(publishForUser("publish-" + i, token(), "twitter", "facebook"));
            commands.add(aPush().withId("push-" + i).json());
        }
        for (int i = 0; i < broken.size(); i++) {
            commands.add(aPush().withId("broken-push-" + i)
                    .forIdentity(broken.get(i))
                    .json());
        }
        commands.add(aPush().withId("revoked-push").forIdentity(revoked).json());
        commands.add(aPush().withId("orphan-push").forIdentity(orphan).json());
        commands.add(hostilePublish("xss-dead", unknownUser));
        commands.add(hostilePublish("xss-ok", token()));
        commands.add(campaign("held-part-1", "held-campaign", 0, heldRecipients, "Held back"));
        herald.sendAll(commands);
        herald.sendRaw(
                null, ("{\"command_id\":\"" + XSS_ID + "\",\"type\":\"publish\"}").getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(
                            herald.count(
                                    "SELECT count(*) FROM commands WHERE status = 'succeeded' AND command_id ~ '^(publish|push)-'"))
                    .isEqualTo(2L * SINGLES);
            assertThat(herald.count("SELECT count(*) FROM dead_letters WHERE error_class = 'exhausted'"))
                    .isEqualTo(broken.size());
            assertThat(herald.count("SELECT count(*) FROM dead_letters"))
                    .as("and xss-dead, orphan-push, the invalid record")
                    .isEqualTo(broken.size() + 3);
            assertThat(herald.count("SELECT count(*) FROM identity_holds WHERE routing_key = ?", revoked))
                    .isEqualTo(1);
            assertThat(herald.status("xss-ok")).isEqualTo("succeeded");
        });
    }

    private static String hostilePublish(String commandId, String user) {
        return "{\"command_id\":\"" + commandId + "\",\"type\":\"publish\",\"metadata\":{\"note\":\"" + XSS_METADATA
                + "\"},"
                + "\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"" + XSS
                + "\"}},\"publish_for_user\":{\"user_token\":\"" + user
                + "\",\"providers\":[\"twitter\"]}}}";
    }

    /** What a worker killed between its claim and OneAll's answer leaves behind: its next delivery is an unknown outcome. */
    private void leaveInFlight(String commandId, String identity) throws SQLException {
        try (var connection = herald.database().getConnection();
                var statement = connection.prepareStatement("""
                INSERT INTO commands (command_id, type, status, attempts, routing_key, claimed_by)
                VALUES (?, 'push', 'in_flight', 1, ?, 'a-worker-that-died')""")) {
            statement.setString(1, commandId);
            statement.setString(2, identity);
            statement.executeUpdate();
        }
    }
}
