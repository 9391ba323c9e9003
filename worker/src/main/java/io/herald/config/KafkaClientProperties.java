package io.herald.config;

import io.herald.observe.UrlCredentials;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Kafka client properties an operator sets for every client Herald makes (security, SASL, TLS, timeouts), in the
 * ecosystem's two conventions: a properties file, as Kafka's own tools take with {@code --command-config}
 * ({@code HERALD_KAFKA_CONFIG_FILE}), and {@code KAFKA_}-prefixed variables mapped as Confluent's images map them
 * ({@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}: lower case, {@code _} a dot, {@code __} an underscore,
 * {@code ___} a dash). A variable wins over the file.
 *
 * <p>The properties that Herald's promises rest on (offsets committed by hand, an idempotent {@code acks=all}
 * producer, its own group and client names) cannot be set: naming one stops Herald at start with the variable or the
 * file's key named. Secret values (passwords, JAAS configurations, private keys) are masked wherever Herald shows the
 * properties, and {@link #scrub} takes them out of any text Herald prints.
 *
 * @param values  the properties, by name, without {@code bootstrap.servers} (that is {@code KAFKA_BOOTSTRAP_SERVERS})
 * @param sources where each property came from, by name: its variable, or its key in the file
 * @param variables the {@code KAFKA_} variables they were read from, as given, for {@link HeraldConfig#with}
 */
public record KafkaClientProperties(
        Map<String, String> values, Map<String, String> sources, Map<String, String> variables) {

    public static final KafkaClientProperties NONE = new KafkaClientProperties(Map.of(), Map.of(), Map.of());

    /** Herald's own, fixed for the guarantees: who names them, and why they cannot be set. */
    private static final Map<String, String> FIXED = fixed();

    private static final Set<String> NOT_CLIENT_PROPERTIES =
            Set.of("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_LOG4J_OPTS");

    /** A property whose value is a secret: Kafka's {@code PASSWORD}-typed ones (a test holds this to Kafka's list). */
    private static final Pattern SECRET = Pattern.compile(
            "(^|\\.)(jaas\\.config|password|passphrase|secret)$|\\.secret\\.|^ssl\\.keystore\\.(key|certificate\\.chain)$"
                    + "|^ssl\\.truststore\\.certificates$");

    public KafkaClientProperties {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        sources = Map.copyOf(sources);
        variables = Map.copyOf(variables);
    }

    /**
     * The properties of {@code file} (null: none), then of the {@code KAFKA_} variables of {@code env}; a
     * {@link ConfigException} naming each variable or key that sets one of Herald's own properties, or the file when
     * it cannot be read.
     */
    static KafkaClientProperties read(Path file, Map<String, String> env) {
        var values = new LinkedHashMap<String, String>();
        var sources = new LinkedHashMap<String, String>();
        if (file != null) {
            load(file).forEach((name, value) -> {
                values.put(name, value);
                sources.put(name, name + " in " + file);
            });
        }
        var variables = new LinkedHashMap<String, String>();
        env.forEach((variable, value) -> {
            if (variable.startsWith("KAFKA_") && !NOT_CLIENT_PROPERTIES.contains(variable)) {
                var name = propertyName(variable);
                variables.put(variable, value);
                values.put(name, value.trim());
                sources.put(name, variable);
            }
        });
        var problems = values.keySet().stream()
                .filter(FIXED::containsKey)
                .sorted()
                .map(name -> sources.get(name) + ": " + FIXED.get(name))
                .toList();
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return new KafkaClientProperties(values, sources, variables);
    }

    /** {@code KAFKA_SASL_JAAS_CONFIG} to {@code sasl.jaas.config}, as Confluent's images map their variables. */
    public static String propertyName(String variable) {
        return variable.substring("KAFKA_".length())
                .toLowerCase(Locale.ROOT)
                .replace("___", "-")
                .replace("__", "\u0000")
                .replace('_', '.')
                .replace('\u0000', '_');
    }

    private static Map<String, String> load(Path file) {
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("HERALD_KAFKA_CONFIG_FILE " + file + " cannot be read: "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        var values = new TreeMap<String, String>();
        properties
                .stringPropertyNames()
                .forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }

    /** These properties but {@code name}. */
    KafkaClientProperties without(String name) {
        var rest = new LinkedHashMap<>(values);
        rest.remove(name);
        return new KafkaClientProperties(rest, sources, variables);
    }

    /** Whether a property's value is a secret, never shown. */
    public static boolean isSecret(String name) {
        return SECRET.matcher(name).find();
    }

    /** Where a property came from: its variable, or its key in the file. */
    public String source(String name) {
        return sources.getOrDefault(name, name);
    }

    /** The properties as the start-up log shows them, by where they came from, secrets masked. */
    public Map<String, String> shown() {
        var shown = new TreeMap<String, String>();
        values.forEach(
                (name, value) -> shown.put(source(name), isSecret(name) ? "****" : UrlCredentials.masked(value)));
        return shown;
    }

    /** {@code text} with every secret value of these properties, and each secret part of a JAAS line, masked. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        var scrubbed = text;
        for (var entry : values.entrySet()) {
            if (isSecret(entry.getKey()) && !entry.getValue().isEmpty()) {
                scrubbed = scrubbed.replace(entry.getValue(), "****");
            }
        }
        return scrubbed.replaceAll("(?i)(password|secret)\\s*=\\s*(\"[^\"]*\"|\\S+)", "$1=****");
    }

    /** As the start-up log shows them: a record's own would print the secrets. */
    @Override
    public String toString() {
        return "KafkaClientProperties" + shown();
    }

    private static Map<String, String> fixed() {
        var fixed = new LinkedHashMap<String, String>();
        fixed.put("group.id", "the workers' consumer group is HERALD_CONSUMER_GROUP");
        fixed.put("group.instance.id", "static membership would give every worker the same member id");
        fixed.put("client.id", "Herald names each of its clients after the worker");
        for (var name : List.of("enable.auto.commit", "auto.offset.reset", "group.protocol", "max.poll.interval.ms")) {
            fixed.put(name, "Herald commits offsets only once their outcomes are recorded, and sets " + name + " so");
        }
        fixed.put("partition.assignment.strategy", "Herald's drain on revocation relies on cooperative rebalancing");
        for (var name : List.of("acks", "enable.idempotence", "delivery.timeout.ms", "transactional.id")) {
            fixed.put(name, "Herald's producer is idempotent with acks=all and retries until Kafka has each record");
        }
        for (var name : List.of("key.serializer", "value.serializer", "key.deserializer", "value.deserializer")) {
            fixed.put(name, "Herald reads and writes its records as bytes");
        }
        return Collections.unmodifiableMap(fixed);
    }
}
