package io.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.command.UnknownOutcomePolicy;
import io.herald.config.Setting.Need;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeraldConfigTest {
    private static final Map<String, String> CONNECTIONS = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "HERALD_DATABASE_URL", "jdbc:postgresql://db:5432/herald",
            "ONEALL_API_URL", "https://site.api.oneall.com",
            "ONEALL_PUBLIC_KEY", "public-key",
            "ONEALL_PRIVATE_KEY", "very-private-key");

    @Test
    void an_empty_environment_gets_the_named_defaults_and_no_connections() {
        var config = HeraldConfig.from(Map.of());

        assertThat(config.kafka().commandsTopic()).isEqualTo("herald.commands");
        assertThat(config.kafka().deadLetterTopic()).isEqualTo("herald.commands.dlt");
        assertThat(config.kafka().outcomesTopic()).isEqualTo("herald.outcomes");
        assertThat(config.kafka().partitions()).isEqualTo(12);
        assertThat(config.oneall().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.retries().onUnknownOutcome()).isEqualTo(UnknownOutcomePolicy.DEAD_LETTER);
        assertThat(config.kafka().bootstrapServers()).isNull();
    }

    @Test
    void a_worker_missing_part_of_its_connections_is_refused_with_every_missing_variable_named() {
        assertThatThrownBy(() -> HeraldConfig.from(Map.of()).requireConnections())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "KAFKA_BOOTSTRAP_SERVERS, HERALD_DATABASE_URL, ONEALL_API_URL, ONEALL_PUBLIC_KEY, ONEALL_PRIVATE_KEY");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of(
                                "KAFKA_BOOTSTRAP_SERVERS", "k:9092", "HERALD_DATABASE_URL", "jdbc:postgresql://d/h"))
                        .requireConnections())
                .hasMessageStartingWith("missing configuration: ONEALL_API_URL, ONEALL_PUBLIC_KEY, ONEALL_PRIVATE_KEY");
        assertThat(HeraldConfig.from(CONNECTIONS).requireConnections().oneall().apiUrl())
                .hasHost("site.api.oneall.com");
    }

    @Test
    void a_subcommand_asks_only_for_the_connections_it_uses() {
        var databaseOnly = HeraldConfig.from(Map.of("HERALD_DATABASE_URL", "jdbc:postgresql://db/herald"));

        assertThat(databaseOnly.require(Need.DATABASE).database().url()).isEqualTo("jdbc:postgresql://db/herald");
        assertThatThrownBy(() -> databaseOnly.require(Need.KAFKA))
                .hasMessage("missing configuration: KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void every_documented_default_is_the_value_an_empty_environment_gets() {
        var effective = HeraldConfig.from(Map.of()).effectiveValues();
        for (var setting : Settings.ALL) {
            assertThat(effective).containsKey(setting.name());
            if (!setting.documentedDefault().startsWith("(")) {
                assertThat(effective.get(setting.name())).as(setting.name()).isEqualTo(setting.documentedDefault());
            }
        }
        assertThat(effective).hasSameSizeAs(Settings.ALL);
    }

    @Test
    void every_setting_is_defined_once() {
        assertThat(Settings.ALL.stream().map(Setting::name)).doesNotHaveDuplicates();
        assertThat(Settings.ALL)
                .allSatisfy(setting -> assertThat(setting.description()).isNotBlank());
    }

    @Test
    void bad_values_are_rejected_with_the_variable_names_all_at_once() {
        assertThatThrownBy(
                        () -> HeraldConfig.from(Map.of("HERALD_MAX_IN_FLIGHT", "many", "HERALD_TOPIC_PARTITIONS", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("HERALD_MAX_IN_FLIGHT")
                .hasMessageContaining("HERALD_TOPIC_PARTITIONS");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_ONEALL_TIMEOUT_MS", "5000")))
                .hasMessageContaining("HERALD_ONEALL_TIMEOUT_MS")
                .hasMessageContaining("15000");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_ON_UNKNOWN_OUTCOME", "ignore")))
                .hasMessageContaining("HERALD_ON_UNKNOWN_OUTCOME");
        assertThatThrownBy(() -> HeraldConfig.from(
                        Map.of("HERALD_RETRY_BACKOFF_MS", "5000", "HERALD_RETRY_MAX_BACKOFF_MS", "100")))
                .hasMessageContaining("HERALD_RETRY_MAX_BACKOFF_MS");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_DATABASE_URL", "postgres://x")))
                .hasMessageContaining("HERALD_DATABASE_URL");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_RATE_LIMITS", "twitter=fast")))
                .hasMessageContaining("HERALD_RATE_LIMITS");
    }

    @Test
    void rate_limits_are_read_per_provider() {
        var limits = HeraldConfig.from(Map.of("HERALD_RATE_LIMITS", "twitter=100, facebook=2.5"))
                .oneall()
                .rateLimits();

        assertThat(limits.perSecond()).containsEntry("twitter", 100.0).containsEntry("facebook", 2.5);
        assertThat(limits).hasToString("facebook=2.5,twitter=100");
    }

    @Test
    void secrets_are_masked_in_the_effective_values_and_in_errors() {
        var env = new java.util.HashMap<>(CONNECTIONS);
        env.put("HERALD_DATABASE_PASSWORD", "db-password");
        env.put("HERALD_DATABASE_URL", "jdbc:postgresql://db/herald?password=url-password");
        var config = HeraldConfig.from(env);

        assertThat(config.effectiveValues().toString())
                .doesNotContain("very-private-key", "db-password", "url-password");
        assertThat(config.toString()).doesNotContain("very-private-key", "db-password", "url-password");
        assertThat(config.oneall().privateKey().value()).isEqualTo("very-private-key");
    }

    @Test
    void a_user_and_password_inside_a_url_are_masked_in_the_effective_values_and_in_errors() {
        var env = new java.util.HashMap<>(CONNECTIONS);
        env.put("ONEALL_API_URL", "https://herald:api-password@site.api.oneall.com");
        env.put("HERALD_DATABASE_URL", "jdbc:postgresql://herald:db-password@db/herald");
        var config = HeraldConfig.from(env);

        assertThat(config.effectiveValues())
                .containsEntry("ONEALL_API_URL", "https://herald:****@site.api.oneall.com")
                .containsEntry("HERALD_DATABASE_URL", "jdbc:postgresql://herald:****@db/herald");
        assertThat(config.toString()).doesNotContain("api-password", "db-password");
        assertThat(config.oneall().apiUrl().getUserInfo()).isEqualTo("herald:api-password");

        env.put("ONEALL_API_URL", "https://herald:api-password@site api.oneall.com");
        env.put("HERALD_DATABASE_URL", "postgres://herald:db-password@db/herald?password=other-password");
        assertThatThrownBy(() -> HeraldConfig.from(env))
                .hasMessageContaining("ONEALL_API_URL has an invalid value 'https://herald:****@site api.oneall.com'")
                .hasMessageContaining("HERALD_DATABASE_URL has an invalid value 'postgres://herald:****@db/herald")
                .satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain("api-password", "db-password", "other-password"));
    }

    @Test
    void a_configuration_with_some_variables_set_otherwise_keeps_the_rest() {
        var config = HeraldConfig.from(Map.of("HERALD_MAX_IN_FLIGHT", "7", "HERALD_RATE_LIMITS", "twitter=3"))
                .with(CONNECTIONS);

        assertThat(config.oneall().maxInFlight()).isEqualTo(7);
        assertThat(config.oneall().rateLimits().perSecond()).containsEntry("twitter", 3.0);
        assertThat(config.requireConnections().kafka().bootstrapServers()).isEqualTo("kafka:9092");
    }
}
