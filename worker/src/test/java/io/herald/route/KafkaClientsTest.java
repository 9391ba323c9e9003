package io.herald.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.ConfigException;
import io.herald.config.HeraldConfig;
import io.herald.config.UnavailableException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    private static final String PASSWORD = "n0t-for-your-eyes";
    private static final HeraldConfig.Kafka SECURED = HeraldConfig.from(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9096",
                    "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                    "KAFKA_SASL_JAAS_CONFIG",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"herald\""
                                    + " password=\"" + PASSWORD + "\";",
                    "KAFKA_MAX_POLL_RECORDS", "200",
                    "KAFKA_LINGER_MS", "20"))
            .kafka();

    @Test
    void each_client_gets_herald_defaults_then_the_properties_it_knows_then_what_herald_fixes() {
        var producer = KafkaClients.producer(
                SECURED, "w1-producer", Map.of("linger.ms", 2, "compression.type", "lz4"), Map.of("acks", "all"));
        var consumer = KafkaClients.consumer(SECURED, "w1", Map.of("max.poll.records", 1000), Map.of());
        var admin = KafkaClients.admin(SECURED, "herald-topics", Map.of());

        assertThat(producer)
                .containsEntry("bootstrap.servers", "broker-1:9096")
                .containsEntry("client.id", "w1-producer")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("linger.ms", "20")
                .containsEntry("compression.type", "lz4")
                .containsEntry("acks", "all")
                .doesNotContainKey("max.poll.records");
        assertThat(consumer).containsEntry("max.poll.records", "200").doesNotContainKey("linger.ms");
        assertThat(admin)
                .containsEntry("sasl.jaas.config", SECURED.client().values().get("sasl.jaas.config"))
                .doesNotContainKey("max.poll.records")
                .doesNotContainKey("linger.ms");
    }

    @Test
    void refused_credentials_a_failed_handshake_and_a_refused_operation_name_the_brokers_never_a_secret() {
        var credentials = KafkaClients.failure(
                SECURED,
                new ExecutionException(new SaslAuthenticationException(
                        "Authentication failed during authentication due to invalid credentials with SASL mechanism"
                                + " SCRAM-SHA-512")),
                "10 s");
        var handshake = KafkaClients.failure(
                SECURED,
                new SslAuthenticationException(
                        "SSL handshake failed", new javax.net.ssl.SSLHandshakeException("PKIX path building failed")),
                "10 s");
        var refused = KafkaClients.failure(
                SECURED,
                new ExecutionException(new TopicAuthorizationException("Not authorized to access topics")),
                "");

        assertThat(credentials)
                .isInstanceOf(UnavailableException.class)
                .hasMessage("Kafka at broker-1:9096 refused Herald's credentials: Authentication failed during"
                        + " authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512");
        assertThat(handshake)
                .hasMessage("the TLS handshake with Kafka at broker-1:9096 failed: PKIX path building failed");
        assertThat(refused).hasMessage("Kafka at broker-1:9096 refused: Not authorized to access topics");
    }

    @Test
    void no_answer_within_the_wait_says_which_protocol_the_client_spoke() {
        var timeout = KafkaClients.failure(SECURED, new java.util.concurrent.TimeoutException(), "10 s");

        assertThat(timeout)
                .isInstanceOf(UnavailableException.class)
                .hasMessage("cannot reach Kafka at broker-1:9096: no broker answered within 10 s"
                        + " (security.protocol SASL_SSL)");
    }

    @Test
    void a_client_kafka_cannot_make_is_a_configuration_error_without_the_secret() {
        var wrong = HeraldConfig.from(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9096",
                        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                        "KAFKA_SASL_JAAS_CONFIG", "no.such.LoginModule sometimes password=\"" + PASSWORD + "\";"))
                .kafka();

        assertThatThrownBy(() -> KafkaClients.createAdmin(wrong, "herald-topics", Map.of())
                        .close())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot make a Kafka client with the properties given: ")
                .hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> KafkaClients.create(SECURED, () -> Admin.create(Map.of("security.protocol", "NOPE"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("NOPE");
    }
}
