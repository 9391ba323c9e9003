package io.herald.cli;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.route.Replay;
import io.herald.sandbox.Anomaly;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.store.DeadLetterStore;
import io.herald.testing.HeraldCli;
import io.herald.testing.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guarantee: operators replay dead letters after fixing the cause, and nothing is posted twice. */
@Timeout(120)
class ReplayIT {
    private final WorkerHarness herald = new WorkerHarness();
    private final DeadLetterStore store = new DeadLetterStore(herald.database());

    @AfterEach
    void stop() {
        herald.close();
    }

    private DeadLetterStore.Filter all(boolean includeReplayed) {
        return new DeadLetterStore.Filter(null, null, Replay.classes(null), null, null, null, includeReplayed);
    }

    private void replay(boolean includeReplayed, boolean dryRun) throws Exception {
        var letters = store.find(all(includeReplayed), 1000);
        new Replay(store, herald.config(), dryRun, 1000, "test").replay(letters, step -> {});
    }

    @Test
    void a_dead_letter_replayed_after_its_cause_is_fixed_succeeds_once_and_is_not_replayed_twice() throws Exception {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failAlways(identity, 404)));
        herald.startWorker();
        herald.sendRaw(
                identity.getBytes(StandardCharsets.UTF_8),
                aPush().withId("fix-me").forIdentity(identity).json().getBytes(StandardCharsets.UTF_8),
                Map.of("traceparent", TRACEPARENT, "app-tenant", "acme"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "dead_lettered".equals(herald.status("fix-me")));

        replay(false, true);
        assertThat(store.find(all(false), 10)).hasSize(1);
        assertThat(herald.sandbox().journal().forToken(identity)).hasSize(1);

        herald.sandbox().setFaults(Faults.NONE);
        replay(false, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("fix-me")));

        assertThat(herald.sandbox().journal().forToken(identity))
                .extracting(Journal.Entry::status)
                .containsExactly(404, 200);
        assertThat(herald.count("SELECT attempts FROM commands WHERE command_id = 'fix-me'"))
                .as("every call counts")
                .isEqualTo(2);
        assertThat(herald.strings("SELECT http_status FROM attempts WHERE command_id = 'fix-me' ORDER BY attempt"))
                .as("the attempt history stays whole")
                .containsExactly("404", "200");
        assertThat(herald.count("SELECT replay_count FROM dead_letters WHERE command_id = 'fix-me'"))
                .isEqualTo(1);
        assertThat(store.find(all(false), 10)).isEmpty();
        var commands = herald.readToEnd(herald.config().kafka().commandsTopic());
        assertThat(commands).hasSize(2);
        assertThat(headers(commands.get(0))).containsExactlyInAnyOrder("traceparent=" + TRACEPARENT, "app-tenant=acme");
        assertThat(headers(commands.get(1)))
                .as("the replay produces the command with its original headers in their order, and none of Herald's")
                .containsExactlyElementsOf(headers(commands.get(0)));
        assertThat(herald.readToEnd(herald.config().kafka().outcomesTopic()))
                .as("tracing off, each event carries the trace of the record as it came")
                .hasSize(2)
                .allSatisfy(event -> assertThat(headers(event)).contains("traceparent=" + TRACEPARENT));
    }

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static List<String> headers(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record) {
        var headers = new java.util.ArrayList<String>();
        record.headers().forEach(h -> headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)));
        return headers;
    }

    @Test
    void unknown_outcomes_are_replayed_only_when_asked_for_by_name_and_a_misspelt_class_is_refused() {
        assertThat(Replay.classes(null))
                .containsExactly("invalid", "permanent", "exhausted", "credentials", "conflict");
        assertThat(Replay.classes(List.of("unknown-outcome"))).containsExactly("unknown-outcome");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Replay.classes(List.of("exausted")))
                .hasMessageContaining("--class exausted is no dead letter's class");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Replay.classes(List.of("transient")))
                .hasMessageContaining("--class transient");
    }

    /**
     * {@code herald replay} (the real command line) without {@code --class}: the permanent letter is replayed, the
     * unknown-outcome one (a push answered 200 with a proxy's page: it may have been posted) is left alone and nothing is
     * sent for it; {@code --class unknown-outcome} then replays it, with a warning.
     */
    @Test
    void a_default_replay_leaves_an_unknown_outcome_letter_alone_and_sends_nothing_for_it() {
        var doubtful = token();
        var refused = token();
        herald.sandbox()
                .setFaults(Faults.NONE
                        .withRule(FaultRule.answerWith(doubtful, Anomaly.HTML_PAGE))
                        .withRule(FaultRule.failAlways(refused, 404)));
        herald.startWorker();
        herald.send(
                aPush().withId("doubtful").forIdentity(doubtful).json(),
                aPush().withId("refused").forIdentity(refused).json());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "dead_lettered".equals(herald.status("doubtful"))
                        && "dead_lettered".equals(herald.status("refused")));
        assertThat(herald.string("SELECT error_class FROM dead_letters WHERE command_id = 'doubtful'"))
                .isEqualTo("unknown-outcome");
        herald.sandbox().setFaults(Faults.NONE);

        var replay = HeraldCli.run(herald.environment(), 60, "replay");
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("refused")));

        assertThat(replay.exitCode())
                .as("exit status; stderr: %s", replay.err())
                .isZero();
        assertThat(replay.out())
                .contains("replayed 1, skipped 0 of 1 dead letters")
                .doesNotContain("doubtful");
        assertThat(herald.status("doubtful")).isEqualTo("dead_lettered");
        assertThat(herald.sandbox().journal().forToken(doubtful)).hasSize(1);
        assertThat(herald.count("SELECT replay_count FROM dead_letters WHERE command_id = 'doubtful'"))
                .isZero();
        assertThat(recordsOnTheCommandsTopic("doubtful"))
                .as("records of the unknown-outcome command on the commands topic")
                .isEqualTo(1);
        assertThat(recordsOnTheCommandsTopic("refused")).isEqualTo(2);

        var named = HeraldCli.run(herald.environment(), 60, "replay", "--class", "unknown-outcome");
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("doubtful")));
        assertThat(named.out())
                .contains("WARNING: OneAll may have carried out its first attempt")
                .contains("replayed 1, skipped 0 of 1");
        assertThat(herald.sandbox().journal().forToken(doubtful))
                .extracting(Journal.Entry::fault)
                .containsExactly("html_page", null);
        System.out.printf(
                "herald replay: %s; with --class unknown-outcome: %s%n", lastLine(replay.out()), lastLine(named.out()));
    }

    private long recordsOnTheCommandsTopic(String commandId) {
        return herald.readToEnd(herald.config().kafka().commandsTopic()).stream()
                .filter(record -> WorkerHarness.text(record.value()).contains("\"command_id\":\"" + commandId + "\""))
                .count();
    }

    private static String lastLine(String text) {
        var lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void replaying_a_command_that_already_succeeded_sends_nothing() throws Exception {
        var identity = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failFirst(identity, 1, 409)));
        herald.startWorker();
        herald.send(aPush().withId("done-later").forIdentity(identity).json());
        await().atMost(Duration.ofSeconds(30)).until(() -> "dead_lettered".equals(herald.status("done-later")));
        replay(false, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("done-later")));

        replay(true, false);
        herald.send(aPush().withId("done-later").forIdentity(identity).json());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.workers().get(0).metrics().counter("herald_duplicates_total") == 1);

        assertThat(herald.sandbox().journal().forToken(identity))
                .extracting(Journal.Entry::status)
                .containsExactly(409, 200);
        assertThat(herald.status("done-later")).isEqualTo("succeeded");
        assertThat(store.find(all(true), 10))
                .extracting(DeadLetterStore.DeadLetter::commandStatus)
                .containsExactly("succeeded");
        assertThat(List.of(herald.count("SELECT replay_count FROM dead_letters WHERE command_id = 'done-later'")))
                .containsExactly(1L);
    }

    /**
     * Replay from the dead-letter topic ({@code herald replay --from-topic}, the real command line) once retention has
     * pruned the letters' rows: a letter whose command the ledger still has is checked as the table's are and replayed
     * once; a second replay finds its command succeeded and sends nothing; a command the ledger no longer has at all is
     * skipped, saying why, until {@code --forgotten} asks for it.
     */
    @Test
    void letters_whose_rows_were_pruned_are_replayed_from_the_dead_letter_topic_with_the_ledger_checks()
            throws Exception {
        var kept = token();
        var forgotten = token();
        herald.sandbox()
                .setFaults(Faults.NONE
                        .withRule(FaultRule.failAlways(kept, 404))
                        .withRule(FaultRule.failAlways(forgotten, 404)));
        herald.startWorker();
        herald.sendRaw(
                kept.getBytes(StandardCharsets.UTF_8),
                aPush().withId("row-pruned").forIdentity(kept).json().getBytes(StandardCharsets.UTF_8),
                Map.of("traceparent", TRACEPARENT));
        herald.send(aPush().withId("all-pruned").forIdentity(forgotten).json());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "dead_lettered".equals(herald.status("row-pruned"))
                        && "dead_lettered".equals(herald.status("all-pruned")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.readToEnd(herald.config().kafka().deadLetterTopic())
                                .size()
                        == 2);
        try (var connection = herald.database().getConnection();
                var statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM dead_letters");
            statement.executeUpdate("DELETE FROM commands WHERE command_id = 'all-pruned'");
        }
        herald.sandbox().setFaults(Faults.NONE);

        var dry = HeraldCli.run(herald.environment(), 60, "replay", "--from-topic", "--dry-run");
        assertThat(dry.exitCode()).as("stderr: %s", dry.err()).isZero();
        assertThat(dry.out())
                .contains("would replay - row-pruned (push, permanent)")
                .contains("skip   - all-pruned (permanent): the ledger no longer has this command")
                .contains("would replay 1, skipped 1 of 2 dead letters");

        var replay = HeraldCli.run(herald.environment(), 60, "replay", "--from-topic");
        assertThat(replay.exitCode()).as("stderr: %s", replay.err()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("row-pruned")));
        assertThat(herald.readToEnd(herald.config().kafka().commandsTopic()))
                .as("replayed from the topic: the record's headers but Herald's herald-* ones")
                .filteredOn(record -> new String(record.key(), StandardCharsets.UTF_8).equals(kept))
                .extracting(ReplayIT::headers)
                .containsExactly(List.of("traceparent=" + TRACEPARENT), List.of("traceparent=" + TRACEPARENT));
        var again = HeraldCli.run(herald.environment(), 60, "replay", "--from-topic", "--json");
        assertThat(again.out())
                .contains("\"command_id\":\"row-pruned\",\"type\":\"push\",\"error_class\":\"permanent\","
                        + "\"action\":\"skipped\",\"reason\":\"the command already succeeded");

        var asked = HeraldCli.run(herald.environment(), 60, "replay", "--from-topic", "--forgotten");
        assertThat(asked.out()).contains("replayed 1, skipped 1 of 2 dead letters");
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("all-pruned")));

        assertThat(herald.sandbox().journal().forToken(kept))
                .extracting(Journal.Entry::status)
                .containsExactly(404, 200);
        assertThat(herald.sandbox().journal().forToken(forgotten))
                .extracting(Journal.Entry::status)
                .containsExactly(404, 200);
        System.out.printf("herald replay --from-topic: %s; again: %s%n", lastLine(replay.out()), lastLine(again.out()));
    }
}
