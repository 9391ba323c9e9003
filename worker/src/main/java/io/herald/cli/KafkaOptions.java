package io.herald.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of a subcommand that talks to Kafka, as Kafka's own tools name them: the brokers, and a file of client
 * properties (security, SASL, TLS). Each stands for its variable, {@code KAFKA_BOOTSTRAP_SERVERS} and
 * {@code HERALD_KAFKA_CONFIG_FILE}, and wins over it.
 */
final class KafkaOptions {
    @Option(names = "--bootstrap-servers", description = "Kafka brokers (default: KAFKA_BOOTSTRAP_SERVERS)")
    String bootstrapServers;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Kafka client properties: security, SASL, TLS (default: HERALD_KAFKA_CONFIG_FILE)")
    Path commandConfig;

    /** The process's environment with the options given in place of their variables. */
    Map<String, String> environment() {
        var environment = new HashMap<>(System.getenv());
        if (bootstrapServers != null) {
            environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        }
        if (commandConfig != null) {
            environment.put("HERALD_KAFKA_CONFIG_FILE", commandConfig.toString());
        }
        return environment;
    }
}
