package io.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.herald.cli.Herald;
import io.herald.config.KafkaClientProperties;
import io.herald.config.Setting;
import io.herald.observe.HealthServer;
import io.herald.observe.Metrics;
import io.herald.route.KafkaClients;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * deploy/ cannot run here (no container engine), so it is checked against the code: every variable it
 * sets is a setting Herald reads, every command it runs parses as a Herald command line, ports and
 * probes are the worker's, every metric the dashboard and the alerts use is one the worker exports, and
 * the fixes of past deployment bugs stay in (a HEALTHCHECK under sh, JAVA_TOOL_OPTIONS in the JSON logs,
 * a heap leaving no room, the example Secret applied over the real one, replicas fighting KEDA).
 * {@link KubernetesFilesTest} checks what makes a Kubernetes rollout work.
 */
class DeployFilesTest {
    static final Path ROOT = Path.of("..");
    static final Path DEPLOY = ROOT.resolve("deploy");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> SETTINGS =
            io.herald.config.Settings.ALL.stream().map(Setting::name).collect(Collectors.toSet());
    private static final long MIB = 1024 * 1024;

    /** A variable Herald reads: one of its settings, or a {@code KAFKA_} variable that names a Kafka client property. */
    static boolean readByHerald(String variable) {
        return SETTINGS.contains(variable)
                || (variable.startsWith("KAFKA_")
                        && KafkaClients.isClientProperty(KafkaClientProperties.propertyName(variable)));
    }
    /** README, Performance: 739 MB resident with a 512 MB heap (413 MB used) under a backlog of 1,000,000 commands. */
    private static final long MEASURED_OUTSIDE_HEAP = (739 - 512) * MIB;

    static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(DEPLOY.resolve(file).toFile());
    }

    static List<JsonNode> yamlDocuments(String file) throws IOException {
        var documents = new ArrayList<JsonNode>();
        try (var parser = new YAMLFactory().createParser(DEPLOY.resolve(file).toFile())) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                documents.add(iterator.next());
            }
        }
        return documents;
    }

    static List<String> strings(JsonNode array) {
        var values = new ArrayList<String>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** Parses the arguments as the herald command line does; throws if a subcommand or option does not exist. */
    static void assertHeraldCommandLine(List<String> args) {
        var parsed = new CommandLine(new Herald()).parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand()).as("a subcommand in %s", args).isNotNull();
    }

    /** One stage of deploy/Dockerfile: its instructions (continuations joined, comments dropped), its base's first. */
    private record Stage(String name, List<String[]> instructions) {
        List<String> all(String keyword) {
            return instructions.stream()
                    .filter(i -> i[0].equals(keyword))
                    .map(i -> i[1])
                    .toList();
        }

        String last(String keyword) {
            var all = all(keyword);
            assertThat(all).as("%s in stage %s", keyword, name).isNotEmpty();
            return all.get(all.size() - 1);
        }

        List<String> execForm(String keyword) throws IOException {
            return strings(JSON.readTree(last(keyword)));
        }
    }

    private static List<Stage> dockerfile() throws IOException {
        var lines = Files.readString(DEPLOY.resolve("Dockerfile"))
                .replace("\\\n", " ")
                .lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        var stages = new ArrayList<Stage>();
        for (var line : lines) {
            var parts = line.split("\\s+", 2);
            var keyword = parts[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("FROM")) {
                var from = parts[1].split("\\s+(?i:as)\\s+");
                var instructions = new ArrayList<String[]>();
                stages.stream()
                        .filter(s -> s.name().equals(from[0]))
                        .findFirst()
                        .ifPresent(base -> instructions.addAll(base.instructions()));
                stages.add(new Stage(from.length > 1 ? from[1] : "", instructions));
            } else {
                stages.get(stages.size() - 1).instructions().add(new String[] {keyword, parts[1]});
            }
        }
        return stages;
    }

    private static Stage stage(String name) throws IOException {
        return dockerfile().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void the_default_image_runs_herald_jar_alone_as_a_non_root_user() throws IOException {
        var stages = dockerfile();
        var worker = stages.get(stages.size() - 1);
        assertThat(worker.name()).as("the default target is the last stage").isEqualTo("worker");
        var entrypoint = worker.execForm("ENTRYPOINT");
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
                .containsExactly("-jar", "/opt/herald/herald.jar");
        assertHeraldCommandLine(worker.execForm("CMD"));
        assertThat(worker.last("USER")).isEqualTo("10001");
        assertThat(worker.last("EXPOSE")).isEqualTo("8080");
        assertThat(worker.all("COPY"))
                .contains("--from=build /src/worker/target/herald.jar /opt/herald/herald.jar")
                .noneMatch(copy -> copy.contains("herald-dev.jar"));
        var builds = stage("build").all("RUN");
        assertThat(builds.get(builds.size() - 1)).contains("-pl worker -am package");
    }

    @Test
    void jvm_options_are_on_the_command_line_where_the_jvm_does_not_announce_them() throws IOException {
        for (var stage : dockerfile()) {
            assertThat(stage.instructions())
                    .as("stage %s", stage.name())
                    .noneMatch(i -> i[1].contains("JAVA_TOOL_OPTIONS"));
        }
        assertThat(stage("worker").execForm("ENTRYPOINT"))
                .contains("-XX:+ExitOnOutOfMemoryError")
                .anyMatch(option -> option.startsWith("-XX:MaxRAMPercentage="));
    }

    @Test
    void the_heap_leaves_room_for_what_the_worker_was_measured_to_use_outside_it() throws IOException {
        var percentage = stage("worker").execForm("ENTRYPOINT").stream()
                .filter(o -> o.startsWith("-XX:MaxRAMPercentage="))
                .map(o -> Double.parseDouble(o.substring(o.indexOf('=') + 1)))
                .findFirst()
                .orElseThrow();
        var resources = yaml("kubernetes/deployment.yaml")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("resources");
        long limit = bytes(resources.path("limits").path("memory").asText());
        assertThat(bytes(resources.path("requests").path("memory").asText()))
                .as("memory requested = limit")
                .isEqualTo(limit);
        var services = yaml("compose.yaml").path("services");
        for (var worker : List.of("herald-1", "herald-2")) {
            assertThat(bytes(services.path(worker).path("mem_limit").asText()))
                    .as("%s's limit", worker)
                    .isEqualTo(limit);
        }
        long heap = (long) (limit * percentage / 100);
        assertThat(heap).as("heap at least the measured run's").isGreaterThanOrEqualTo(512 * MIB);
        assertThat(limit - heap)
                .as("twice what was measured outside the heap")
                .isGreaterThanOrEqualTo(2 * MEASURED_OUTSIDE_HEAP);
    }

    private static long bytes(String quantity) {
        var matcher = Pattern.compile("(\\d+)(Gi|g|Mi|m)").matcher(quantity);
        assertThat(matcher.matches()).as("a memory quantity: %s", quantity).isTrue();
        return Long.parseLong(matcher.group(1))
                * Map.of("Gi", 1024 * MIB, "g", 1024 * MIB, "Mi", MIB, "m", MIB).get(matcher.group(2));
    }

    @Test
    void the_healthcheck_runs_bash_and_passes_only_while_the_worker_is_live() throws Exception {
        var healthcheck = stage("worker").last("HEALTHCHECK");
        var command = strings(JSON.readTree(healthcheck.substring(healthcheck.indexOf("CMD ") + 4)));
        assertThat(command)
                .as("bash: sh is dash, without /dev/tcp")
                .hasSize(2)
                .first()
                .isEqualTo("bash");
        assertThat(stage("worker").all("COPY")).contains("deploy/healthcheck.sh " + command.get(1));

        var vertx = Vertx.vertx();
        try {
            var health = HealthServer.start(vertx, 0, new Metrics(), () -> null, () -> true);
            int port = health.port();
            assertThat(healthcheck(port)).as("live worker").isZero();
            health.close();
            assertThat(healthcheck(port)).as("worker gone").isEqualTo(1);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static int healthcheck(int port) throws IOException, InterruptedException {
        var process = new ProcessBuilder(
                        "bash", DEPLOY.resolve("healthcheck.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        process.environment().put("HERALD_HTTP_PORT", Integer.toString(port));
        var running = process.start();
        assertThat(running.waitFor(10, TimeUnit.SECONDS))
                .as("healthcheck ended")
                .isTrue();
        return running.exitValue();
    }

    @Test
    void the_build_resolves_dependencies_from_the_poms_before_it_copies_any_source() throws IOException {
        var build = stage("build").instructions().stream()
                .map(i -> i[0] + " " + i[1])
                .toList();
        var goOffline = build.stream()
                .filter(i -> i.startsWith("RUN ") && i.contains(":go-offline"))
                .findFirst()
                .orElseThrow();
        int resolve = build.indexOf(goOffline);
        var modules = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")))
                .results()
                .map(m -> m.group(1))
                .toList();
        assertThat(modules).isNotEmpty();
        for (var module : modules) {
            assertThat(build.indexOf("COPY " + module + "/pom.xml " + module + "/"))
                    .as("%s's pom", module)
                    .isBetween(0, resolve);
            assertThat(build.indexOf("COPY " + module + "/ " + module + "/"))
                    .as("%s's sources", module)
                    .isGreaterThan(resolve);
        }
    }

    @Test
    void dockerignore_keeps_git_and_build_output_out_of_the_context_and_every_copied_file_in() throws IOException {
        var patterns = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertThat(patterns).contains(".git", "**/target");
        var sources = new ArrayList<String>();
        for (var stage : dockerfile()) {
            stage.all("COPY").stream()
                    .filter(copy -> !copy.startsWith("--from"))
                    .forEach(copy -> sources.add(copy.split("\\s+")[0].replaceAll("/$", "")));
        }
        assertThat(sources)
                .contains("deploy/healthcheck.sh")
                .allSatisfy(source -> assertThat(patterns)
                        .noneMatch(p -> FileSystems.getDefault()
                                .getPathMatcher("glob:" + p)
                                .matches(Path.of(source))));
    }

    @Test
    void compose_sets_only_real_settings_and_runs_real_commands_of_the_right_jar() throws IOException {
        var services = yaml("compose.yaml").path("services");
        for (var name : List.of("herald-1", "herald-2", "sandbox")) {
            var environment = services.path(name).path("environment");
            assertThat(environment.size()).isPositive();
            environment
                    .fieldNames()
                    .forEachRemaining(variable -> assertThat(variable)
                            .as("%s sets %s", name, variable)
                            .matches(DeployFilesTest::readByHerald));
        }
        assertThat(services.path("herald-2").path("environment"))
                .isEqualTo(services.path("herald-1").path("environment"));
        assertThat(services.path("herald-1")
                        .path("environment")
                        .path("HERALD_HTTP_PORT")
                        .asText())
                .isEqualTo("8080");
        assertThat(strings(services.path("herald-1").path("ports")))
                .allSatisfy(port -> assertThat(port).endsWith(":8080"));
        for (var worker : List.of("herald-1", "herald-2")) {
            assertThat(services.path(worker).path("build").path("target").asText())
                    .isEqualTo("worker");
        }

        // The sandbox is in herald-dev.jar, which this module cannot see: its command is checked against the source.
        var sandbox = services.path("sandbox");
        assertThat(stage(sandbox.path("build").path("target").asText()).execForm("ENTRYPOINT"))
                .endsWith("-jar", "/opt/herald/herald-dev.jar");
        var command = strings(sandbox.path("command"));
        var source = Files.readString(ROOT.resolve("dev/src/main/java/io/herald/dev/SandboxCommand.java"));
        assertThat(command.get(0)).isEqualTo("sandbox");
        assertThat(source).containsPattern("@Command\\(\\s*name = \"sandbox\"");
        assertThat(Files.readString(ROOT.resolve("dev/src/main/java/io/herald/dev/DevMain.java")))
                .contains("new SandboxCommand()");
        assertThat(command.subList(1, command.size()))
                .filteredOn(arg -> arg.startsWith("--"))
                .containsExactlyInAnyOrder("--host", "--port")
                .allSatisfy(option -> assertThat(source).contains("names = \"" + option + "\""));
        assertThat(command.get(command.indexOf("--host") + 1)).isEqualTo("0.0.0.0");
        var sandboxPort = command.get(command.indexOf("--port") + 1);
        assertThat(sandboxPort).matches("\\d+");
        assertThat(services.path("herald-1")
                        .path("environment")
                        .path("ONEALL_API_URL")
                        .asText())
                .endsWith("http://sandbox:" + sandboxPort + "}");

        var kafkaVersion = Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")))
                .results()
                .findFirst()
                .orElseThrow()
                .group(1);
        assertThat(services.path("kafka").path("image").asText())
                .as("the broker the clients are built for")
                .isEqualTo("apache/kafka:" + kafkaVersion);
        assertThat(services.path("kafka")
                        .path("environment")
                        .path("KAFKA_PROCESS_ROLES")
                        .asText())
                .isEqualTo("broker,controller");
        var targets = yaml("prometheus/prometheus.yml")
                .path("scrape_configs")
                .get(0)
                .path("static_configs")
                .get(0)
                .path("targets");
        assertThat(strings(targets)).containsExactly("herald-1:8080", "herald-2:8080");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes/deployment.yaml", "kubernetes/migrate/job.yaml"})
    void every_container_meets_the_restricted_pod_security_standard(String file) throws IOException {
        var pod = yaml(file).path("spec").path("template").path("spec");
        var podSecurity = pod.path("securityContext");
        var containers = new ArrayList<JsonNode>();
        pod.path("initContainers").forEach(containers::add);
        pod.path("containers").forEach(containers::add);
        assertThat(containers).isNotEmpty().allSatisfy(container -> {
            var own = container.path("securityContext");
            var runAsNonRoot = own.has("runAsNonRoot") ? own.path("runAsNonRoot") : podSecurity.path("runAsNonRoot");
            var runAsUser = own.has("runAsUser") ? own.path("runAsUser") : podSecurity.path("runAsUser");
            var seccomp = own.has("seccompProfile") ? own.path("seccompProfile") : podSecurity.path("seccompProfile");
            assertThat(runAsNonRoot.asBoolean()).isTrue();
            assertThat(runAsUser.asInt()).isEqualTo(10001);
            assertThat(seccomp.path("type").asText()).isEqualTo("RuntimeDefault");
            assertThat(own.path("allowPrivilegeEscalation").isBoolean()
                            && !own.path("allowPrivilegeEscalation").asBoolean())
                    .isTrue();
            assertThat(strings(own.path("capabilities").path("drop"))).containsExactly("ALL");
            assertThat(own.path("capabilities").has("add")).isFalse();
            assertThat(own.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            var tmp = container.path("volumeMounts").findParents("mountPath").stream()
                    .filter(mount -> mount.path("mountPath").asText().equals("/tmp"))
                    .findFirst();
            assertThat(tmp).as("a writable java.io.tmpdir").isPresent();
            assertThat(pod.path("volumes").findParents("name"))
                    .filteredOn(v -> v.path("name").equals(tmp.get().path("name")))
                    .singleElement()
                    .satisfies(volume -> assertThat(volume.has("emptyDir")).isTrue());
        });
    }

    @Test
    void kubernetes_manifests_match_the_worker() throws IOException {
        var config = yaml("kubernetes/config/configmap.yaml").path("data");
        config.fieldNames()
                .forEachRemaining(variable ->
                        assertThat(variable).as("ConfigMap sets %s", variable).matches(DeployFilesTest::readByHerald));
        int port = config.path("HERALD_HTTP_PORT").asInt();

        var deployment = yaml("kubernetes/deployment.yaml").path("spec");
        assertThat(deployment.has("replicas")).as("KEDA owns the replica count").isFalse();
        var container =
                deployment.path("template").path("spec").path("containers").get(0);
        var args = strings(container.path("args"));
        assertHeraldCommandLine(args);
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/ready");
        assertThat(container.path("readinessProbe").path("httpGet").path("port").asInt())
                .isEqualTo(port);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/live");
        assertThat(container.path("livenessProbe").path("httpGet").path("port").asInt())
                .isEqualTo(port);
        int drain = Integer.parseInt(args.get(args.indexOf("--drain-seconds") + 1));
        assertThat(deployment
                        .path("template")
                        .path("spec")
                        .path("terminationGracePeriodSeconds")
                        .asInt())
                .as("grace period longer than the drain")
                .isGreaterThan(drain);
        assertThat(yaml("kubernetes/service.yaml")
                        .path("spec")
                        .path("ports")
                        .get(0)
                        .path("targetPort")
                        .asInt())
                .isEqualTo(port);
        var health = Files.readString(Path.of("src/main/java/io/herald/observe/HealthServer.java"));
        assertThat(health).contains("\"/health/ready\"", "\"/health/live\"", "\"/metrics\"");

        var scaler = yaml("kubernetes/keda-scaledobject.yaml").path("spec");
        var trigger = scaler.path("triggers").get(0).path("metadata");
        assertThat(trigger.path("topic").asText())
                .isEqualTo(config.path("HERALD_TOPIC_COMMANDS").asText());
        assertThat(trigger.path("consumerGroup").asText())
                .isEqualTo(config.path("HERALD_CONSUMER_GROUP").asText());
        assertThat(trigger.path("bootstrapServers").asText())
                .isEqualTo(config.path("KAFKA_BOOTSTRAP_SERVERS").asText());
        int partitions = config.path("HERALD_TOPIC_PARTITIONS").asInt();
        assertThat(scaler.path("maxReplicaCount").asInt())
                .as("no more workers than partitions")
                .isLessThanOrEqualTo(partitions);
        int minReplicas = scaler.path("minReplicaCount").asInt();
        assertThat(minReplicas).isPositive();
        assertThat(scaler.has("cooldownPeriod"))
                .as("cooldownPeriod acts only when scaling to zero")
                .isFalse();
        var scaleDown = scaler.path("advanced")
                .path("horizontalPodAutoscalerConfig")
                .path("behavior")
                .path("scaleDown");
        assertThat(scaleDown.path("policies").size())
                .as("the scale-down pace, in the HPA's behavior")
                .isPositive();
        assertThat(yaml("kubernetes/pdb.yaml")
                        .path("spec")
                        .path("maxUnavailable")
                        .asInt())
                .as("a drain leaves a consumer")
                .isLessThan(minReplicas);

        var topics = yamlDocuments("kubernetes/topics.yaml");
        assertThat(topics.stream().map(t -> t.path("metadata").path("name").asText()))
                .containsExactlyInAnyOrder(
                        config.path("HERALD_TOPIC_COMMANDS").asText(),
                        config.path("HERALD_TOPIC_DLT").asText(),
                        config.path("HERALD_TOPIC_OUTCOMES").asText());
        assertThat(topics)
                .allSatisfy(topic -> assertThat(
                                topic.path("spec").path("partitions").asInt())
                        .isEqualTo(partitions));
    }

    @Test
    void the_dashboard_reads_the_datasource_chosen_at_import() throws IOException {
        var dashboard = JSON.readTree(DEPLOY.resolve("grafana/herald.json").toFile());
        var variable = dashboard.path("templating").path("list").findParents("name").stream()
                .filter(v -> v.path("name").asText().equals("datasource"))
                .findFirst()
                .orElseThrow();
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        var datasources = new ArrayList<JsonNode>();
        dashboard.path("panels").forEach(panel -> {
            datasources.add(panel.path("datasource"));
            panel.path("targets").forEach(target -> datasources.add(target.path("datasource")));
        });
        assertThat(datasources)
                .hasSizeGreaterThan(dashboard.path("panels").size())
                .allSatisfy(datasource ->
                        assertThat(datasource.path("uid").asText()).isEqualTo("${datasource}"));
        assertThat(dashboard.path("panels").findValues("uid"))
                .allSatisfy(uid -> assertThat(uid.asText()).isEqualTo("${datasource}"));
    }

    @Test
    void the_dashboard_and_the_alerts_use_only_metrics_the_worker_exports() throws IOException {
        var exported = exportedMetrics();
        var used = new HashSet<String>();
        var dashboard = JSON.readTree(DEPLOY.resolve("grafana/herald.json").toFile());
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(10);
        dashboard
                .path("panels")
                .forEach(panel -> panel.path("targets")
                        .forEach(target ->
                                used.addAll(metrics(target.path("expr").asText()))));
        var rules = yaml("prometheus/alerts.yaml").path("groups").get(0).path("rules");
        assertThat(rules.size()).isGreaterThanOrEqualTo(4);
        rules.forEach(rule -> used.addAll(metrics(rule.path("expr").asText())));
        assertThat(used).isNotEmpty();
        assertThat(exported).containsAll(used);
        var alerts = new ArrayList<String>();
        rules.forEach(rule -> alerts.add(rule.path("alert").asText()));
        assertThat(alerts)
                .contains(
                        "HeraldDeadLettersGrowing",
                        "HeraldConsumerLagHigh",
                        "HeraldCredentialsRejected",
                        "HeraldNoProgress");
        // With every worker gone their series vanish and the other alerts go quiet: one alert fires on the absence
        // itself.
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.path("expr").asText()).matches("absent\\(herald_[a-z_]+\\)");
            assertThat(rule.path("for").asText()).isNotEmpty();
        });
    }

    private static final Pattern METRIC = Pattern.compile("herald_[a-z_]+");

    private static Set<String> metrics(String expression) {
        return METRIC.matcher(expression)
                .results()
                .map(m -> m.group().replaceAll("_(bucket|sum|count)$", ""))
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
