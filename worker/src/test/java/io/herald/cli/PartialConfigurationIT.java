package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.HeraldCli;
import io.herald.testing.TestInfrastructure;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: {@code herald run} with only part of its configuration starts nothing (no sandbox in place of OneAll, no
 * throw-away database, no topics, no migrations) and exits 2 with one line naming each missing variable.
 */
@Timeout(120)
class PartialConfigurationIT {
    private final TestInfrastructure infrastructure = TestInfrastructure.get();

    private static HeraldCli.Run run(Map<String, String> environment) {
        return HeraldCli.run(environment, 30, "run");
    }

    @Test
    void a_worker_with_kafka_and_the_database_but_no_oneall_settings_exits_2_naming_them_and_starts_nothing()
            throws Exception {
        var topic = TestInfrastructure.randomTopic("partial");
        var databaseUrl = infrastructure.newDatabaseUrl();
        var exit = run(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                infrastructure.bootstrapServers(),
                "HERALD_DATABASE_URL",
                databaseUrl,
                "HERALD_DATABASE_USER",
                infrastructure.user(),
                "HERALD_DATABASE_PASSWORD",
                infrastructure.password().value(),
                "HERALD_TOPIC_COMMANDS",
                topic));

        assertThat(exit.exitCode()).isEqualTo(2);
        assertThat(exit.errLines()).hasSize(1);
        assertThat(exit.errLines().get(0))
                .contains("ONEALL_API_URL", "ONEALL_PUBLIC_KEY", "ONEALL_PRIVATE_KEY")
                .doesNotContain("KAFKA_BOOTSTRAP_SERVERS", "HERALD_DATABASE_URL");
        assertThat(exit.out()).doesNotContainIgnoringCase("sandbox").doesNotContain("starting");
        assertThat(exit.seconds()).isLessThan(15);
        try (var admin = Admin.create(Map.of("bootstrap.servers", infrastructure.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(topic);
        }
        try (var connection = infrastructure.dataSource(databaseUrl).getConnection();
                var rows = connection
                        .createStatement()
                        .executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            rows.next();
            assertThat(rows.getLong(1)).as("tables in the worker's database").isZero();
        }
        System.out.printf(
                "herald run without ONEALL_*: exit %d after %.1f s: %s%n",
                exit.exitCode(), exit.seconds(), exit.errLines().get(0));
    }

    @Test
    void a_worker_with_only_oneall_settings_exits_2_naming_kafka_and_the_database() throws Exception {
        var exit = run(Map.of(
                "ONEALL_API_URL",
                "https://example.api.oneall.com",
                "ONEALL_PUBLIC_KEY",
                "public",
                "ONEALL_PRIVATE_KEY",
                "private-secret-value"));

        assertThat(exit.exitCode()).isEqualTo(2);
        assertThat(exit.errLines()).hasSize(1);
        assertThat(exit.errLines().get(0))
                .contains("KAFKA_BOOTSTRAP_SERVERS", "HERALD_DATABASE_URL")
                .doesNotContain("ONEALL_API_URL")
                .doesNotContain("private-secret-value");
        assertThat(exit.out()).doesNotContain("private-secret-value").doesNotContainIgnoringCase("embedded");
        System.out.printf(
                "herald run with only ONEALL_*: exit %d after %.1f s: %s%n",
                exit.exitCode(), exit.seconds(), exit.errLines().get(0));
    }
}
