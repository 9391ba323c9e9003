package io.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeraldConfigTest {

    @Test
    void an_empty_environment_gets_the_named_defaults_and_no_connections() {
        var config = HeraldConfig.from(Map.of());

        assertThatThrownBy(config::requireConnections).isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS, HERALD_DATABASE_URL, ONEALL_API_URL, ONEALL_PUBLIC_KEY, ONEALL_PRIVATE_KEY");
        assertThat(config.commandsTopic()).isEqualTo("herald.commands");
        assertThat(config.deadLetterTopic()).isEqualTo("herald.commands.dlt");
        assertThat(config.outcomesTopic()).isEqualTo("herald.outcomes");
        assertThat(config.topicPartitions()).isEqualTo(12);
        assertThat(config.oneallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.onUnknownOutcome()).isEqualTo(HeraldConfig.UnknownOutcomePolicy.DEAD_LETTER);
    }

    @Test
    void every_documented_default_is_the_value_an_empty_environment_gets() {
        var effective = HeraldConfig.from(Map.of()).effectiveValues();
        for (var setting : HeraldConfig.SETTINGS) {
            assertThat(effective).containsKey(setting.variable());
            if (!setting.defaultValue().startsWith("(")) {
                assertThat(effective.get(setting.variable())).as(setting.variable()).isEqualTo(setting.defaultValue());
            }
        }
        assertThat(effective).hasSameSizeAs(HeraldConfig.SETTINGS);
    }

    @Test
    void a_bad_value_is_rejected_with_the_variable_name() {
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_MAX_IN_FLIGHT", "many")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("HERALD_MAX_IN_FLIGHT");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_ONEALL_TIMEOUT_MS", "5000")))
                .hasMessageContaining("HERALD_ONEALL_TIMEOUT_MS").hasMessageContaining("15000");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_ON_UNKNOWN_OUTCOME", "ignore")))
                .hasMessageContaining("HERALD_ON_UNKNOWN_OUTCOME");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_RETRY_BACKOFF_MS", "5000", "HERALD_RETRY_MAX_BACKOFF_MS", "100")))
                .hasMessageContaining("HERALD_RETRY_MAX_BACKOFF_MS");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_DATABASE_URL", "postgres://x")))
                .hasMessageContaining("HERALD_DATABASE_URL");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("ONEALL_API_URL", "https://site.api.oneall.com")))
                .hasMessageContaining("ONEALL_PUBLIC_KEY");
    }

    @Test
    void secrets_are_masked_in_the_effective_values() {
        var config = HeraldConfig.from(Map.of(
                "ONEALL_API_URL", "https://site.api.oneall.com",
                "ONEALL_PUBLIC_KEY", "public-key",
                "ONEALL_PRIVATE_KEY", "very-private-key",
                "HERALD_DATABASE_PASSWORD", "db-password"));

        assertThat(config.effectiveValues().toString()).doesNotContain("very-private-key").doesNotContain("db-password");
        assertThat(config.toString()).doesNotContain("very-private-key").doesNotContain("db-password");
        assertThat(config.oneallPrivateKey().value()).isEqualTo("very-private-key");
    }
}
