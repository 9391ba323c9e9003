package io.herald.worker;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cli.ExitCodes;
import io.herald.embedded.EmbeddedKafka;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.HeraldCli;
import io.herald.testing.TlsStores;
import io.herald.testing.WorkerHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A company's Kafka: Apache Kafka's broker with a {@code SASL_SSL} listener (SCRAM-SHA-512, a certificate signed by an
 * authority of the test's own, made with {@code keytool}), and Herald given only that listener, its trust store and
 * its user. A worker in its own JVM, {@code herald enqueue} and {@code herald replay} work through it, counted from the
 * sandbox's journal and the ledger; a wrong password ends them in one line naming the broker, exit status 69; and the
 * password appears in no output.
 */
@Timeout(300)
class SecuredKafkaIT {
    private static final String USER = "herald";
    private static final String PASSWORD = "scram-" + UUID.randomUUID();
    private static Path directory;
    private static EmbeddedKafka broker;
    private static TlsStores stores;

    private final WorkerHarness herald = new WorkerHarness();

    @BeforeAll
    static void startTheSecuredBroker() throws Exception {
        directory = Files.createTempDirectory("herald-secured-kafka-");
        stores = TlsStores.create(directory);
        var prefix = "listener.name.secured.";
        broker = EmbeddedKafka.start(
                directory.resolve("kafka"),
                new EmbeddedKafka.Listener(
                        "SECURED",
                        "SASL_SSL",
                        Map.of(
                                prefix + "sasl.enabled.mechanisms",
                                "SCRAM-SHA-512",
                                prefix + "scram-sha-512.sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                                prefix + "ssl.keystore.type",
                                "PKCS12",
                                prefix + "ssl.keystore.location",
                                stores.brokerKeyStore().toString(),
                                prefix + "ssl.keystore.password",
                                stores.password(),
                                prefix + "ssl.key.password",
                                stores.password())));
        // the user is made on the plain listener, which Herald is never told of
        try (var admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopTheSecuredBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void stop() {
        herald.close();
    }

    /**
     * Herald's settings for the secured listener, in both conventions: TLS in a client properties file
     * ({@code HERALD_KAFKA_CONFIG_FILE}), SASL in {@code KAFKA_} variables.
     */
    private Map<String, String> secured(String password) throws IOException {
        var file = directory.resolve("client-" + UUID.randomUUID() + ".properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "security.protocol=SASL_SSL",
                        "ssl.truststore.type=PKCS12",
                        "ssl.truststore.location=" + stores.clientTrustStore(),
                        "ssl.truststore.password=" + stores.password(),
                        ""));
        var environment = new HashMap<>(herald.environment());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.listenerBootstrapServers());
        environment.put("HERALD_KAFKA_CONFIG_FILE", file.toString());
        environment.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        environment.put(
                "KAFKA_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER + "\" password=\""
                        + password + "\";");
        environment.forEach(herald::with);
        return environment;
    }

    private Path commands(List<String> lines) throws IOException {
        var file = directory.resolve("commands-" + UUID.randomUUID() + ".jsonl");
        Files.write(file, lines);
        return file;
    }

    @Test
    void a_worker_enqueue_and_replay_go_through_sasl_ssl_each_command_once_and_the_password_is_never_shown()
            throws Exception {
        var environment = secured(PASSWORD);
        var refused = token();
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failAlways(refused, 404)));
        var worker = herald.startWorkerProcess("secured");
        var tokens = new ArrayList<String>();
        var lines = new ArrayList<String>();
        for (int i = 0; i < 40; i++) {
            tokens.add(token());
            lines.add(aPush().withId("secured-" + i).forIdentity(tokens.get(i)).json());
        }
        lines.add(aPush().withId("refused").forIdentity(refused).json());

        var enqueue = HeraldCli.run(environment, 60, "enqueue", commands(lines).toString());
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        herald.count("SELECT count(*) FROM commands WHERE status IN ('succeeded', 'dead_lettered')")
                                == 41);

        assertThat(enqueue.exitCode()).as("enqueue; stderr: %s", enqueue.err()).isZero();
        assertThat(enqueue.out()).contains("sent 41, rejected 0, failed 0 of 41 lines");
        assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'"))
                .isEqualTo(40);
        assertThat(herald.status("refused")).isEqualTo("dead_lettered");
        for (var identity : tokens) {
            assertThat(herald.sandbox().journal().forToken(identity))
                    .as("calls for %s", identity)
                    .hasSize(1);
        }

        herald.sandbox().setFaults(Faults.NONE);
        var replay = HeraldCli.run(environment, 60, "replay");
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("refused")));

        assertThat(replay.exitCode()).as("replay; stderr: %s", replay.err()).isZero();
        assertThat(replay.out()).contains("replayed 1, skipped 0 of 1 dead letters");
        assertThat(herald.sandbox().journal().forToken(refused))
                .extracting(Journal.Entry::status)
                .containsExactly(404, 200);
        worker.terminate(Duration.ofSeconds(30));
        var log = Files.readString(worker.log());
        assertThat(log)
                .as("the worker's log")
                .contains("KAFKA_SASL_JAAS_CONFIG")
                .doesNotContain(PASSWORD);
        assertThat(log).doesNotContain(stores.password());
        for (var run : List.of(enqueue, replay)) {
            assertThat(run.out() + run.err()).doesNotContain(PASSWORD).doesNotContain(stores.password());
        }
        System.out.printf(
                "[herald-test] through SASL_SSL: %s; replay: %s%n",
                enqueue.out().strip(),
                replay.out().lines().reduce((first, last) -> last).orElse(""));
    }

    @Test
    void a_wrong_password_ends_enqueue_replay_and_the_worker_in_one_line_naming_the_broker() throws Exception {
        var wrong = "wrong-" + UUID.randomUUID();
        var environment = secured(wrong);
        var file = commands(List.of(aPush().withId("never").forIdentity(token()).json()));
        var expected = "Kafka at " + broker.listenerBootstrapServers() + " refused Herald's credentials: ";

        assertThat(HeraldCli.run(environment, 60, "migrate").exitCode()).isZero();

        var enqueue = HeraldCli.run(environment, 30, "enqueue", file.toString());
        var replay = HeraldCli.run(environment, 30, "replay");
        var run = HeraldCli.run(environment, 60, "run");

        for (var subcommand : List.of(enqueue, replay)) {
            assertThat(subcommand.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(subcommand.errLines()).hasSize(1);
            assertThat(subcommand.errLines().get(0))
                    .startsWith("herald: " + expected)
                    .contains("SCRAM-SHA-512")
                    .doesNotContain(wrong);
            assertThat(subcommand.seconds()).isLessThan(15);
        }
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.errLines()).last().asString().startsWith("herald: " + expected);
        assertThat(run.out() + run.err()).doesNotContain(wrong);
        System.out.printf(
                "[herald-test] a wrong password: %s (%.1f s)%n",
                enqueue.errLines().get(0), enqueue.seconds());
    }
}
