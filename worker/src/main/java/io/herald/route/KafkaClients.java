package io.herald.route;

import io.herald.config.ConfigException;
import io.herald.config.HeraldConfig;
import io.herald.config.UnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of every Kafka client Herald makes, in one place: Herald's defaults, then the operator's client
 * properties ({@link io.herald.config.KafkaClientProperties}: security, SASL, TLS, timeouts) that this kind of client
 * knows, then what Herald fixes for its promises. And what a failure to reach Kafka means, in one line that names the
 * brokers and never a secret.
 */
public final class KafkaClients {
    private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);
    /** Properties no kind of client knows, warned about once per process (a typo, or a variable that is not one). */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private KafkaClients() {}

    /** A producer's settings: {@code defaults} first, the operator's producer properties over them, {@code fixed} last. */
    public static Map<String, Object> producer(
            HeraldConfig.Kafka kafka, String clientId, Map<String, Object> defaults, Map<String, Object> fixed) {
        return settings(kafka, clientId, ProducerConfig.configNames(), defaults, fixed);
    }

    /** A consumer's settings, merged as {@link #producer}'s are. */
    public static Map<String, Object> consumer(
            HeraldConfig.Kafka kafka, String clientId, Map<String, Object> defaults, Map<String, Object> fixed) {
        return settings(kafka, clientId, ConsumerConfig.configNames(), defaults, fixed);
    }

    /** An admin client's settings, merged as {@link #producer}'s are. */
    public static Map<String, Object> admin(HeraldConfig.Kafka kafka, String clientId, Map<String, Object> defaults) {
        return settings(kafka, clientId, AdminClientConfig.configNames(), defaults, Map.of());
    }

    /** The operator's properties that a producer knows, for a producer made elsewhere ({@code HeraldProducer}). */
    public static Map<String, Object> producerProperties(HeraldConfig.Kafka kafka, String clientId) {
        var properties = new HashMap<String, Object>(known(kafka, ProducerConfig.configNames()));
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return properties;
    }

    /** An admin client, its construction's failure said as {@link #failure} says it. */
    public static Admin createAdmin(HeraldConfig.Kafka kafka, String clientId, Map<String, Object> defaults) {
        return create(kafka, () -> Admin.create(admin(kafka, clientId, defaults)));
    }

    /**
     * Makes a client. Making one contacts no broker, so a failure here is a property Kafka refuses (an unknown
     * protocol, a key store it cannot read): a {@link ConfigException} with every cause's message, without a secret.
     */
    public static <C> C create(HeraldConfig.Kafka kafka, java.util.function.Supplier<C> client) {
        try {
            return client.get();
        } catch (KafkaException | IllegalArgumentException e) {
            var reasons = new java.util.ArrayList<String>();
            for (Throwable cause = e; cause != null && reasons.size() < 4; cause = cause.getCause()) {
                var message = message(cause);
                if (reasons.stream().noneMatch(message::contains)) {
                    reasons.add(message);
                }
            }
            throw new ConfigException("cannot make a Kafka client with the properties given: "
                    + kafka.client().scrub(String.join(": ", reasons)));
        }
    }

    private static Map<String, Object> settings(
            HeraldConfig.Kafka kafka,
            String clientId,
            Set<String> names,
            Map<String, Object> defaults,
            Map<String, Object> fixed) {
        var settings = new HashMap<>(defaults);
        settings.putAll(known(kafka, names));
        settings.putAll(fixed);
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return settings;
    }

    private static Map<String, Object> known(HeraldConfig.Kafka kafka, Set<String> names) {
        var known = new HashMap<String, Object>();
        kafka.client().values().forEach((name, value) -> {
            if (names.contains(name)) {
                known.put(name, value);
            } else if (!isClientProperty(name) && WARNED.add(name)) {
                log.warn(
                        "{} is not a property of any Kafka client; ignored ({}={})",
                        kafka.client().source(name),
                        name,
                        io.herald.config.KafkaClientProperties.isSecret(name) ? "****" : value);
            }
        });
        return known;
    }

    /** Whether a producer, a consumer or an admin client knows the property. */
    public static boolean isClientProperty(String name) {
        return ProducerConfig.configNames().contains(name)
                || ConsumerConfig.configNames().contains(name)
                || AdminClientConfig.configNames().contains(name);
    }

    /**
     * What a failure to reach or use Kafka means, in one line naming the brokers and never a secret: credentials or a
     * TLS handshake refused, an operation not allowed, or no broker answering within {@code waited} (e.g. "10 s").
     */
    public static RuntimeException failure(HeraldConfig.Kafka kafka, Throwable error, String waited) {
        Function<String, String> clean = kafka.client()::scrub;
        var at = "Kafka at " + kafka.bootstrapServers();
        for (var cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SslAuthenticationException) {
                return new UnavailableException(
                        "the TLS handshake with " + at + " failed: " + clean.apply(rootMessage(cause)));
            }
            if (cause instanceof AuthenticationException) {
                return new UnavailableException(at + " refused Herald's credentials: " + clean.apply(message(cause)));
            }
            if (cause instanceof AuthorizationException) {
                return new UnavailableException(at + " refused: " + clean.apply(message(cause)));
            }
            if (cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return new UnavailableException("cannot reach " + at + ": no broker answered"
                        + (waited.isEmpty() ? "" : " within " + waited) + " (security.protocol "
                        + kafka.client().values().getOrDefault("security.protocol", "PLAINTEXT") + ")");
            }
        }
        return new UnavailableException(at + ": " + clean.apply(rootMessage(error)));
    }

    private static String message(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    private static String rootMessage(Throwable error) {
        var root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return message(root);
    }
}
