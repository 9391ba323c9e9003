package io.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.herald.cli.Herald;
import io.herald.config.HeraldConfig;
import io.herald.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * deploy/ cannot run here (no container engine), so it is checked against the code: every variable it
 * sets is a setting Herald reads, every command it runs parses as a Herald command line, ports and
 * probes are the worker's, and every metric the dashboard and the alerts use is one the worker exports.
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SETTINGS = HeraldConfig.SETTINGS.stream().map(Setting::variable).collect(Collectors.toSet());

    private static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(DEPLOY.resolve(file).toFile());
    }

    private static List<JsonNode> yamlDocuments(String file) throws IOException {
        var documents = new ArrayList<JsonNode>();
        try (var parser = new YAMLFactory().createParser(DEPLOY.resolve(file).toFile())) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                documents.add(iterator.next());
            }
        }
        return documents;
    }

    private static List<String> strings(JsonNode array) {
        var values = new ArrayList<String>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** Parses the arguments as the herald command line does; throws if a subcommand or option does not exist. */
    private static void assertHeraldCommandLine(List<String> args) {
        var parsed = new CommandLine(new Herald()).parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand()).as("a subcommand in %s", args).isNotNull();
    }

    @Test
    void the_image_runs_a_real_subcommand_as_a_non_root_user() throws IOException {
        var dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        var mapper = new ObjectMapper();
        var entrypoint = strings(mapper.readTree(line(dockerfile, "ENTRYPOINT")));
        var cmd = strings(mapper.readTree(line(dockerfile, "CMD")));
        assertThat(entrypoint).containsExactly("java", "-jar", "/opt/herald/herald.jar");
        assertHeraldCommandLine(cmd);
        assertThat(line(dockerfile, "USER")).isEqualTo("10001");
        assertThat(line(dockerfile, "EXPOSE")).isEqualTo("8080");
        assertThat(dockerfile).contains("COPY --from=build /src/worker/target/herald.jar");
    }

    private static String line(String dockerfile, String instruction) {
        return dockerfile.lines().filter(l -> l.startsWith(instruction + " ")).reduce((a, b) -> b).orElseThrow()
                .substring(instruction.length() + 1).trim();
    }

    @Test
    void compose_sets_only_real_settings_and_runs_real_subcommands() throws IOException {
        var services = yaml("compose.yaml").path("services");
        for (var name : List.of("herald-1", "herald-2", "sandbox")) {
            var environment = services.path(name).path("environment");
            assertThat(environment.size()).isPositive();
            environment.fieldNames().forEachRemaining(variable -> assertThat(SETTINGS).as("%s sets %s", name, variable).contains(variable));
        }
        assertThat(services.path("herald-2").path("environment")).isEqualTo(services.path("herald-1").path("environment"));
        assertThat(services.path("herald-1").path("environment").path("HERALD_HTTP_PORT").asText()).isEqualTo("8080");
        assertThat(strings(services.path("herald-1").path("ports"))).allSatisfy(port -> assertThat(port).endsWith(":8080"));
        assertHeraldCommandLine(strings(services.path("sandbox").path("command")));
        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        var sandboxUrl = services.path("herald-1").path("environment").path("ONEALL_API_URL").asText();
        var sandboxPort = strings(services.path("sandbox").path("command")).get(4);
        assertThat(sandboxUrl).endsWith("http://sandbox:" + sandboxPort + "}");
        var targets = yaml("prometheus/prometheus.yml").path("scrape_configs").get(0).path("static_configs").get(0).path("targets");
        assertThat(strings(targets)).containsExactly("herald-1:8080", "herald-2:8080");
    }

    @Test
    void kubernetes_manifests_match_the_worker() throws IOException {
        var config = yaml("kubernetes/configmap.yaml").path("data");
        config.fieldNames().forEachRemaining(variable -> assertThat(SETTINGS).as("ConfigMap sets %s", variable).contains(variable));
        yaml("kubernetes/secret.example.yaml").path("stringData").fieldNames()
                .forEachRemaining(variable -> assertThat(SETTINGS).as("Secret sets %s", variable).contains(variable));
        int port = config.path("HERALD_HTTP_PORT").asInt();

        var container = yaml("kubernetes/deployment.yaml").path("spec").path("template").path("spec").path("containers").get(0);
        var args = strings(container.path("args"));
        assertHeraldCommandLine(args);
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        assertThat(container.path("readinessProbe").path("httpGet").path("port").asInt()).isEqualTo(port);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(container.path("livenessProbe").path("httpGet").path("port").asInt()).isEqualTo(port);
        int drain = Integer.parseInt(args.get(args.indexOf("--drain-seconds") + 1));
        assertThat(yaml("kubernetes/deployment.yaml").path("spec").path("template").path("spec")
                .path("terminationGracePeriodSeconds").asInt()).as("grace period longer than the drain").isGreaterThan(drain);
        assertThat(yaml("kubernetes/service.yaml").path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(port);
        var health = Files.readString(Path.of("src/main/java/io/herald/observe/HealthServer.java"));
        assertThat(health).contains("\"/health/ready\"", "\"/health/live\"", "\"/metrics\"");

        var scaler = yaml("kubernetes/keda-scaledobject.yaml").path("spec");
        var trigger = scaler.path("triggers").get(0).path("metadata");
        assertThat(trigger.path("topic").asText()).isEqualTo(config.path("HERALD_TOPIC_COMMANDS").asText());
        assertThat(trigger.path("consumerGroup").asText()).isEqualTo(config.path("HERALD_CONSUMER_GROUP").asText());
        assertThat(trigger.path("bootstrapServers").asText()).isEqualTo(config.path("KAFKA_BOOTSTRAP_SERVERS").asText());
        int partitions = config.path("HERALD_TOPIC_PARTITIONS").asInt();
        assertThat(scaler.path("maxReplicaCount").asInt()).as("no more workers than partitions").isLessThanOrEqualTo(partitions);

        var topics = yamlDocuments("kubernetes/topics.yaml");
        assertThat(topics.stream().map(t -> t.path("metadata").path("name").asText())).containsExactlyInAnyOrder(
                config.path("HERALD_TOPIC_COMMANDS").asText(), config.path("HERALD_TOPIC_DLT").asText(),
                config.path("HERALD_TOPIC_OUTCOMES").asText());
        assertThat(topics).allSatisfy(topic -> assertThat(topic.path("spec").path("partitions").asInt()).isEqualTo(partitions));
    }

    @Test
    void the_dashboard_and_the_alerts_use_only_metrics_the_worker_exports() throws IOException {
        var exported = exportedMetrics();
        var used = new HashSet<String>();
        var dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/herald.json").toFile());
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(10);
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> used.addAll(metrics(target.path("expr").asText()))));
        var rules = yaml("prometheus/alerts.yaml").path("groups").get(0).path("rules");
        assertThat(rules.size()).isGreaterThanOrEqualTo(4);
        rules.forEach(rule -> used.addAll(metrics(rule.path("expr").asText())));
        assertThat(used).isNotEmpty();
        assertThat(exported).containsAll(used);
        var alerts = new ArrayList<String>();
        rules.forEach(rule -> alerts.add(rule.path("alert").asText()));
        assertThat(alerts).contains("HeraldDeadLettersGrowing", "HeraldConsumerLagHigh", "HeraldCredentialsRejected", "HeraldNoProgress");
    }

    private static final Pattern METRIC = Pattern.compile("herald_[a-z_]+");

    private static Set<String> metrics(String expression) {
        return METRIC.matcher(expression).results().map(m -> m.group().replaceAll("_(bucket|sum|count)$", ""))
                .collect(Collectors.toSet());
    }

    /** The metric names the worker's code registers (string literals passed to Metrics). */
    private static Set<String> exportedMetrics() throws IOException {
        var names = new HashSet<String>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                var matcher = Pattern.compile("\"(herald_[a-z_]+)\"").matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }
}
