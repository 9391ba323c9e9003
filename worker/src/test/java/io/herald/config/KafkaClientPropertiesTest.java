package io.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"herald\" password=\"s3cr3t-pass\";";

    @Test
    void kafka_variables_are_mapped_to_client_properties_as_confluents_images_map_them() {
        assertThat(KafkaClientProperties.propertyName("KAFKA_SASL_JAAS_CONFIG")).isEqualTo("sasl.jaas.config");
        assertThat(KafkaClientProperties.propertyName("KAFKA_SECURITY_PROTOCOL"))
                .isEqualTo("security.protocol");
        assertThat(KafkaClientProperties.propertyName("KAFKA_SOME__UNDERSCORED_NAME"))
                .isEqualTo("some_underscored.name");
        assertThat(KafkaClientProperties.propertyName("KAFKA_A___DASHED_NAME")).isEqualTo("a-dashed.name");
    }

    @Test
    void a_variable_wins_over_the_file_and_each_property_says_where_it_came_from(@TempDir Path dir) throws IOException {
        var file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nssl.truststore.type=PKCS12\n");

        var config = HeraldConfig.from(Map.of(
                "HERALD_KAFKA_CONFIG_FILE", file.toString(),
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093"));

        var client = config.kafka().client();
        assertThat(client.values())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .doesNotContainKey("bootstrap.servers");
        assertThat(client.source("sasl.mechanism")).isEqualTo("KAFKA_SASL_MECHANISM");
        assertThat(client.source("security.protocol")).isEqualTo("security.protocol in " + file);
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9093");
    }

    @Test
    void the_files_bootstrap_servers_stand_for_an_unset_kafka_bootstrap_servers(@TempDir Path dir) throws IOException {
        var file = dir.resolve("ccloud.properties");
        Files.writeString(file, "bootstrap.servers=pkc-1.europe-west1.gcp.confluent.cloud:9092\n");

        var fromFile = HeraldConfig.from(Map.of("HERALD_KAFKA_CONFIG_FILE", file.toString()));
        var overridden = HeraldConfig.from(
                Map.of("HERALD_KAFKA_CONFIG_FILE", file.toString(), "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        assertThat(fromFile.kafka().bootstrapServers()).isEqualTo("pkc-1.europe-west1.gcp.confluent.cloud:9092");
        assertThat(overridden.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(fromFile.kafka().client().values()).isEmpty();
    }

    @Test
    void the_properties_herald_fixes_for_its_promises_are_refused_naming_the_variable_or_the_files_key(
            @TempDir Path dir) throws IOException {
        var file = dir.resolve("client.properties");
        Files.writeString(file, "acks=1\n");

        assertThatThrownBy(() -> HeraldConfig.from(
                        Map.of("HERALD_KAFKA_CONFIG_FILE", file.toString(), "KAFKA_ENABLE_AUTO_COMMIT", "true")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("acks in " + file + ": Herald's producer is idempotent with acks=all")
                .hasMessageContaining("KAFKA_ENABLE_AUTO_COMMIT: Herald commits offsets only once");
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("KAFKA_GROUP_ID", "mine")))
                .hasMessage("KAFKA_GROUP_ID: the workers' consumer group is HERALD_CONSUMER_GROUP");
    }

    @Test
    void a_missing_file_is_a_configuration_error_naming_it() {
        assertThatThrownBy(() -> HeraldConfig.from(Map.of("HERALD_KAFKA_CONFIG_FILE", "/no/such/client.properties")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("HERALD_KAFKA_CONFIG_FILE /no/such/client.properties cannot be read: no such file");
    }

    @Test
    void secrets_are_masked_in_the_start_up_values_and_scrubbed_from_any_text() {
        var config = HeraldConfig.from(Map.of(
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-me",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "https://client:url-secret@idp.example/token"));

        var shown = config.effectiveValues();
        assertThat(shown)
                .containsEntry("KAFKA_SASL_JAAS_CONFIG", "****")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_PASSWORD", "****")
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "https://client:****@idp.example/token");
        assertThat(shown.toString()).doesNotContain("s3cr3t-pass", "trust-me", "url-secret");
        assertThat(config.toString()).doesNotContain("s3cr3t-pass");
        assertThat(config.kafka().toString()).doesNotContain("s3cr3t-pass").doesNotContain("trust-me");

        var client = config.kafka().client();
        assertThat(client.scrub("Invalid JAAS: " + JAAS + " (store password trust-me)"))
                .doesNotContain("s3cr3t-pass")
                .doesNotContain("trust-me");
        assertThat(client.scrub("a line with password=\"other\" in it")).isEqualTo("a line with password=**** in it");
    }

    @Test
    void every_password_property_of_every_kafka_client_is_a_secret() {
        var passwords = new TreeSet<String>();
        Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
                .flatMap(definition -> definition.configKeys().values().stream())
                .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                .forEach(key -> passwords.add(key.name));

        assertThat(passwords).contains("sasl.jaas.config", "ssl.keystore.password", "ssl.key.password");
        assertThat(passwords).allMatch(KafkaClientProperties::isSecret);
        assertThat(KafkaClientProperties.isSecret("security.protocol")).isFalse();
        assertThat(KafkaClientProperties.isSecret("ssl.truststore.location")).isFalse();
        assertThat(KafkaClientProperties.isSecret("sasl.mechanism")).isFalse();
    }

    @Test
    void dev_mode_overrides_keep_the_client_properties() {
        var config = HeraldConfig.from(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL"))
                .with(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));

        assertThat(config.kafka().client().values()).containsEntry("security.protocol", "SSL");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    }
}
