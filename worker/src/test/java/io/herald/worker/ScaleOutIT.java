package io.herald.worker;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guarantee: a worker joining the group mid-run (a rebalance) makes no command run twice, skips none, and keeps per-key order. */
@Timeout(240)
class ScaleOutIT {
    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void a_third_worker_joining_mid_run_changes_nothing_of_once_and_in_order() {
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 10));
        herald.startWorker();
        herald.startWorker();
        int identities = 300;
        int perIdentity = 5;
        var tokens = IntStream.range(0, identities).mapToObj(i -> token()).toList();
        var commands = new ArrayList<String>();
        for (int round = 0; round < perIdentity; round++) {
            for (int i = 0; i < identities; i++) {
                commands.add(aPush().withId("c-" + i + "-" + round)
                        .forIdentity(tokens.get(i))
                        .saying("m-" + round)
                        .json());
            }
        }
        herald.send(commands.subList(0, commands.size() / 2).toArray(String[]::new));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'") > 200);

        herald.startWorker();
        herald.send(commands.subList(commands.size() / 2, commands.size()).toArray(String[]::new));

        int total = identities * perIdentity;
        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(
                        () -> assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"))
                                .isEqualTo(total));
        var effects = herald.sandbox().journal().entries(Journal.Entry::effect);
        assertThat(effects).hasSize(total);
        var byIdentity = new HashMap<String, List<String>>();
        for (var entry : effects) {
            byIdentity
                    .computeIfAbsent(entry.token(), t -> new ArrayList<>())
                    .add(entry.excerpt().replaceAll(".*\"message\":\"(m-\\d+)\".*", "$1"));
        }
        var expected = IntStream.range(0, perIdentity).mapToObj(i -> "m-" + i).collect(Collectors.toList());
        assertThat(byIdentity)
                .hasSize(identities)
                .allSatisfy((identity, messages) -> assertThat(messages).isEqualTo(expected));
        assertThat(herald.count("SELECT count(*) FROM commands WHERE attempts <> 1"))
                .isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> herald.committedOffsets() == total);
    }
}
