package io.herald.docs;

import static io.herald.docs.DeployFilesTest.DEPLOY;
import static io.herald.docs.DeployFilesTest.assertHeraldCommandLine;
import static io.herald.docs.DeployFilesTest.strings;
import static io.herald.docs.DeployFilesTest.yaml;
import static io.herald.docs.DeployFilesTest.yamlDocuments;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.config.HeraldConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/ against the worker, for what makes a rollout work: both kustomizations apply every manifest in
 * one namespace with one image; the probes give a start the time it takes; the drain outlasts a OneAll call and the
 * grace the drain; Prometheus scrapes the Service's port; the migrate Job runs {@code herald migrate} for workers that
 * skip it; KEDA's triggers authenticate with TriggerAuthentications whose Secrets' keys the examples show.
 */
class KubernetesFilesTest {
    private static final String WORKERS = "kubernetes/";
    private static final String MIGRATE = "kubernetes/migrate/";

    private static JsonNode podSpec(String file) throws IOException {
        return yaml(file).path("spec").path("template").path("spec");
    }

    private static JsonNode worker() throws IOException {
        return podSpec("kubernetes/deployment.yaml").path("containers").get(0);
    }

    private static JsonNode settings() throws IOException {
        return yaml("kubernetes/config/configmap.yaml").path("data");
    }

    /** The variables a container's {@code env} sets. */
    private static List<String> variables(JsonNode container) {
        var names = new ArrayList<String>();
        container
                .path("env")
                .forEach(variable -> names.add(variable.path("name").asText()));
        return names;
    }

    /** The Secrets of examples/ by name, each with its keys and values. */
    private static Map<String, JsonNode> exampleSecrets() throws IOException {
        var secrets = new HashMap<String, JsonNode>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes/examples"))) {
            for (var file : files.toList()) {
                var secret = yaml("kubernetes/examples/" + file.getFileName());
                assertThat(secret.path("kind").asText()).isEqualTo("Secret");
                secrets.put(secret.path("metadata").path("name").asText(), secret.path("stringData"));
            }
        }
        return secrets;
    }

    /** A worker's configuration as the ConfigMap and the example Secret of the workers make it. */
    private static HeraldConfig workerConfig() throws IOException {
        var environment = new HashMap<String, String>();
        settings()
                .properties()
                .forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        exampleSecrets()
                .get("herald-secrets")
                .properties()
                .forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        return HeraldConfig.from(environment).requireConnections();
    }

    /** The files a kustomization applies: its own resources, and those of the kustomizations it names by folder. */
    private static List<String> applied(String kustomization) throws IOException {
        var files = new ArrayList<String>();
        for (var resource : strings(yaml(kustomization + "kustomization.yaml").path("resources"))) {
            var path = Path.of(kustomization).resolve(resource).normalize().toString() + "/";
            if (Files.isDirectory(DEPLOY.resolve(path))) {
                files.addAll(applied(path));
            } else {
                files.add(path.substring(0, path.length() - 1));
            }
        }
        return files;
    }

    @Test
    void the_kustomizations_apply_every_manifest_but_no_secret_in_one_namespace_with_one_image() throws IOException {
        var workers = applied(WORKERS);
        var migrate = applied(MIGRATE);
        assertThat(migrate)
                .containsExactlyInAnyOrder("kubernetes/config/configmap.yaml", "kubernetes/migrate/job.yaml");
        assertThat(workers).doesNotContain("kubernetes/migrate/job.yaml").contains("kubernetes/config/configmap.yaml");
        var both = Stream.concat(workers.stream(), migrate.stream()).distinct().toList();
        try (Stream<Path> files = Files.walk(DEPLOY.resolve("kubernetes"))) {
            var manifests = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .map(f -> DEPLOY.relativize(f).toString())
                    .filter(f -> !f.startsWith("kubernetes/examples/"))
                    .toList();
            assertThat(manifests).as("every manifest applied").containsExactlyInAnyOrderElementsOf(both);
        }
        for (var file : both) {
            assertThat(yamlDocuments(file))
                    .allSatisfy(d -> assertThat(d.path("kind").asText()).isNotEqualTo("Secret"));
        }
        exampleSecrets()
                .get("herald-secrets")
                .fieldNames()
                .forEachRemaining(variable -> assertThat(variable)
                        .as("herald-secrets sets %s", variable)
                        .matches(DeployFilesTest::readByHerald));

        var own = yaml(WORKERS + "kustomization.yaml");
        var namespace = own.path("namespace").asText();
        assertThat(namespace).isNotBlank();
        assertThat(own.path("images").size()).isEqualTo(1);
        var image = own.path("images").get(0);
        assertThat(image.path("name").asText()).isEqualTo(worker().path("image").asText());
        assertThat(image.path("newName").asText()).contains("/");
        assertThat(image.path("newTag").asText()).isNotBlank().isNotIn("latest", "dev");
        var job = yaml(MIGRATE + "kustomization.yaml");
        assertThat(job.path("namespace").asText()).isEqualTo(namespace);
        assertThat(job.path("images")).isEqualTo(own.path("images"));

        // KEDA's operator dials these from its own namespace: they must name this one.
        var kafka = settings().path("KAFKA_BOOTSTRAP_SERVERS").asText();
        var database =
                URI.create(settings().path("HERALD_DATABASE_URL").asText().substring("jdbc:".length()));
        assertThat(List.of(kafka.substring(0, kafka.lastIndexOf(':')), database.getHost()))
                .allSatisfy(host -> assertThat(host).endsWith("." + namespace + ".svc"));
    }

    @Test
    void the_startup_probe_gives_a_slow_start_ten_minutes_and_liveness_no_initial_delay() throws IOException {
        int port = settings().path("HERALD_HTTP_PORT").asInt();
        var startup = worker().path("startupProbe");
        assertThat(startup.path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(startup.path("httpGet").path("port").asInt()).isEqualTo(port);
        assertThat(startup.path("periodSeconds").asInt()
                        * startup.path("failureThreshold").asInt())
                .as("seconds a start may take before the endpoints answer")
                .isGreaterThanOrEqualTo(600);
        assertThat(worker().path("livenessProbe").path("initialDelaySeconds").asInt())
                .as("the startup probe covers the start")
                .isZero();
    }

    @Test
    void the_drain_outlasts_a_oneall_call_and_its_settling_and_the_grace_outlasts_the_drain() throws IOException {
        var args = strings(worker().path("args"));
        int drain = Integer.parseInt(args.get(args.indexOf("--drain-seconds") + 1));
        assertThat((long) drain)
                .as("HERALD_ONEALL_TIMEOUT_MS and the settling of a call")
                .isGreaterThanOrEqualTo(workerConfig().oneall().drainTimeout().toSeconds());
        var pod = podSpec("kubernetes/deployment.yaml");
        var preStop = worker().path("lifecycle")
                .path("preStop")
                .path("sleep")
                .path("seconds")
                .asInt();
        assertThat(pod.path("terminationGracePeriodSeconds").asInt())
                .as("the drain, a preStop sleep, the final commit")
                .isGreaterThan(drain + preStop);
    }

    @Test
    void the_service_monitor_scrapes_metrics_on_the_service_s_port_and_nothing_else_scrapes_twice() throws IOException {
        var service = yaml("kubernetes/service.yaml");
        var monitor = yaml("kubernetes/servicemonitor.yaml");
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        var labels = new HashMap<String, String>();
        service.path("metadata")
                .path("labels")
                .properties()
                .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        monitor.path("spec")
                .path("selector")
                .path("matchLabels")
                .properties()
                .forEach(e -> assertThat(labels)
                        .containsEntry(e.getKey(), e.getValue().asText()));
        var ports = service.path("spec").path("ports").findValuesAsText("name");
        assertThat(monitor.path("spec").path("endpoints")).isNotEmpty().allSatisfy(endpoint -> {
            assertThat(ports).contains(endpoint.path("port").asText());
            assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
        });
        assertThat(yaml("kubernetes/deployment.yaml")
                        .path("spec")
                        .path("template")
                        .path("metadata")
                        .path("annotations")
                        .fieldNames())
                .toIterable()
                .noneMatch(annotation -> annotation.startsWith("prometheus.io/"));
    }

    @Test
    void the_migrate_job_runs_herald_migrate_for_workers_that_skip_it() throws IOException {
        var pod = podSpec("kubernetes/migrate/job.yaml");
        var job = pod.path("containers").get(0);
        var args = strings(job.path("args"));
        assertHeraldCommandLine(args);
        assertThat(args.get(0)).isEqualTo("migrate");
        assertThat(job.path("image")).isEqualTo(worker().path("image"));
        assertThat(job.path("envFrom")).isEqualTo(worker().path("envFrom"));
        assertThat(variables(job)).allMatch(DeployFilesTest::readByHerald);
        assertThat(pod.path("restartPolicy").asText()).isIn("Never", "OnFailure");

        assertThat(settings().path("HERALD_MIGRATE_AT_START").asText()).isEqualTo("false");
        assertThat(variables(worker())).doesNotContain("HERALD_MIGRATE_AT_START");
        var jobLabels = yaml("kubernetes/migrate/job.yaml")
                .path("spec")
                .path("template")
                .path("metadata")
                .path("labels");
        for (var selector : List.of(
                yaml("kubernetes/service.yaml").path("spec").path("selector"),
                yaml("kubernetes/pdb.yaml").path("spec").path("selector").path("matchLabels"),
                yaml("kubernetes/deployment.yaml").path("spec").path("selector").path("matchLabels"))) {
            assertThat(selector.properties())
                    .as("the Job's pod is none of the workers")
                    .anyMatch(e -> !e.getValue().equals(jobLabels.path(e.getKey())));
        }
    }

    @Test
    void keda_s_triggers_authenticate_with_secrets_whose_keys_the_examples_show() throws IOException {
        var authentications = new HashMap<String, JsonNode>();
        for (var document : yamlDocuments("kubernetes/keda-triggerauthentication.yaml")) {
            assertThat(document.path("kind").asText()).isEqualTo("TriggerAuthentication");
            authentications.put(document.path("metadata").path("name").asText(), document.path("spec"));
        }
        var triggers = yaml("kubernetes/keda-scaledobject.yaml").path("spec").path("triggers");
        assertThat(triggers.findValuesAsText("type")).containsExactly("kafka", "postgresql");
        triggers.forEach(trigger -> assertThat(authentications)
                .containsKey(trigger.path("authenticationRef").path("name").asText()));

        var secrets = exampleSecrets();
        authentications
                .values()
                .forEach(spec -> spec.path("secretTargetRef").forEach(reference -> {
                    var secret = reference.path("name").asText();
                    assertThat(secrets).as("an example of Secret %s", secret).containsKey(secret);
                    assertThat(secrets.get(secret).has(reference.path("key").asText()))
                            .as(
                                    "Secret %s has %s",
                                    secret, reference.path("key").asText())
                            .isTrue();
                }));
        for (var file : List.of("kubernetes/deployment.yaml", "kubernetes/migrate/job.yaml")) {
            var container = podSpec(file).path("containers").get(0);
            container
                    .path("envFrom")
                    .findValues("secretRef")
                    .forEach(reference -> assertThat(secrets)
                            .as("%s reads", file)
                            .containsKey(reference.path("name").asText()));
            for (var reference : container.path("env").findValues("secretKeyRef")) {
                var secret = reference.path("name").asText();
                assertThat(secrets).as("%s reads", file).containsKey(secret);
                assertThat(secrets.get(secret).has(reference.path("key").asText()))
                        .as("%s reads %s", file, reference)
                        .isTrue();
            }
        }

        var kafka = authentications.get(trigger(triggers, "kafka")
                .path("authenticationRef")
                .path("name")
                .asText());
        assertThat(kafka.path("secretTargetRef").findValuesAsText("parameter"))
                .contains("sasl", "username", "password", "tls", "ca");
        var kafkaSecret =
                secrets.get(kafka.path("secretTargetRef").get(0).path("name").asText());
        assertThat(kafkaSecret.path("sasl").asText()).isEqualTo("scram_sha512");
        assertThat(kafkaSecret.path("tls").asText()).isEqualTo("enable");
    }

    private static JsonNode trigger(JsonNode triggers, String type) {
        for (var trigger : triggers) {
            if (trigger.path("type").asText().equals(type)) {
                return trigger;
            }
        }
        throw new AssertionError("no " + type + " trigger");
    }

    @Test
    void the_postgresql_trigger_reads_the_workers_database_up_to_a_count_that_could_add_a_worker() throws IOException {
        var scaler = yaml("kubernetes/keda-scaledobject.yaml").path("spec");
        var postgres = trigger(scaler.path("triggers"), "postgresql").path("metadata");
        var database =
                URI.create(settings().path("HERALD_DATABASE_URL").asText().substring("jdbc:".length()));
        assertThat(postgres.path("host").asText()).isEqualTo(database.getHost());
        assertThat(postgres.path("port").asInt()).isEqualTo(database.getPort());
        assertThat("/" + postgres.path("dbName").asText()).isEqualTo(database.getPath());
        assertThat(postgres.path("userName").asText())
                .isEqualTo(settings().path("HERALD_DATABASE_USER").asText());
        var limit =
                Pattern.compile("LIMIT (\\d+)").matcher(postgres.path("query").asText());
        assertThat(limit.find()).as("a bounded count").isTrue();
        assertThat(Long.parseLong(limit.group(1)))
                .isGreaterThanOrEqualTo(postgres.path("targetQueryValue").asLong()
                        * scaler.path("maxReplicaCount").asLong());
    }
}
