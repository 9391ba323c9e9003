package io.herald.route;

import io.herald.config.HeraldConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Herald's topics (docs/commands.md): created at start when missing, with the configured partitions. */
public final class Topology {
    private static final Logger log = LoggerFactory.getLogger(Topology.class);

    private Topology() {}

    public static void ensureTopics(HeraldConfig config) {
        var bootstrapServers = config.kafka().bootstrapServers();
        var wanted = List.of(config.kafka().commandsTopic(), config.kafka().deadLetterTopic(), config.kafka().outcomesTopic());
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var missing = new ArrayList<NewTopic>();
            for (var topic : wanted) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, config.kafka().partitions(), (short) -1));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                    log.info("created topic {} with {} partitions", result.getKey(), config.kafka().partitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create Herald's topics on " + bootstrapServers + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
