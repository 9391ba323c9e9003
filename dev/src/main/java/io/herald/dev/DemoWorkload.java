package io.herald.dev;

import io.herald.config.HeraldConfig;
import io.herald.route.Publisher;
import io.herald.route.Topology;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.schema.HeraldProducer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo's sample workload: publishes and pushes to several networks, a campaign, and failures on purpose. 3% of
 * calls answer 503 (retried); a few accounts are unknown to OneAll (404, dead-lettered for good) and a few are down
 * until the demo repairs them (503 until exhausted, then replayed); three records are no valid command at all.
 */
final class DemoWorkload {
    private static final String[] PUSH_ENDPOINTS = {"twitter/post", "linkedin/post"};
    private static final int BROKEN_ACCOUNTS = 5;
    /** What the producer library refuses, a careless producer may still send: the worker dead-letters it. */
    private static final List<String> INVALID_RECORDS = List.of(
            "this is not JSON",
            "{\"command_id\":\"demo-bad-1\",\"type\":\"publish\"}",
            "{\"command_id\":\"demo-bad-2\",\"type\":\"push\",\"identity_token\":\"../admin\",\"endpoint\":\"twitter/post\"}");

    private final int singles;
    private final int recipients;
    private final List<String> broken = new ArrayList<>();
    private final List<String> unknown = new ArrayList<>();

    DemoWorkload(int singles, int recipients) {
        this.singles = singles;
        this.recipients = recipients;
        for (int i = 0; i < BROKEN_ACCOUNTS; i++) {
            broken.add(UUID.randomUUID().toString());
            unknown.add(UUID.randomUUID().toString());
        }
    }

    /** The sandbox's faults while the workload runs. */
    Faults faults() {
        var faults = repaired().withErrorRate(503, 0.03);
        for (int i = 0; i < BROKEN_ACCOUNTS; i++) {
            faults = faults.withRule(FaultRule.failAlways(broken.get(i), 503))
                    .withRule(FaultRule.failAlways(unknown.get(i), 404));
        }
        return faults;
    }

    /** The sandbox's faults once the broken accounts are repaired: a latency, no errors. */
    static Faults repaired() {
        return Faults.NONE.withLatency(20, 20);
    }

    /** Commands and records that end: each publish and push, each recipient of the campaign and the invalid records. */
    int total() {
        return 2 * singles + recipients + INVALID_RECORDS.size();
    }

    String describe() {
        return singles + " publishes, " + singles + " pushes, a campaign of " + recipients + " recipients and "
                + INVALID_RECORDS.size() + " invalid records";
    }

    /** Sends the workload to the commands topic; returns once the broker acknowledged all of it. */
    void enqueue(HeraldConfig config) throws Exception {
        Topology.ensureTopics(config);
        var topic = config.kafka().commandsTopic();
        try (var producer = HeraldProducer.connect(config.kafka().bootstrapServers(), topic, Map.of());
                var raw = Publisher.connect(config.kafka(), "herald-demo")) {
            producer.sendAll(commands()).get(60, TimeUnit.SECONDS);
            for (var bad : INVALID_RECORDS) {
                raw.send(new ProducerRecord<>(topic, null, bad.getBytes(StandardCharsets.UTF_8)))
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private List<String> commands() {
        var commands = new ArrayList<String>();
        for (int i = 0; i < singles; i++) {
            var user = i < BROKEN_ACCOUNTS ? unknown.get(i) : UUID.randomUUID().toString();
            commands.add("{\"command_id\":\"demo-publish-" + i
                    + "\",\"type\":\"publish\",\"metadata\":{\"source\":\"demo\"},"
                    + "\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"Demo message " + i
                    + " https://example.com/demo\"},"
                    + "\"flags\":{\"enable_tracking\":1}},\"publish_for_user\":{\"user_token\":\"" + user
                    + "\",\"providers\":[\"twitter\",\"facebook\"]}}}");
            var identity =
                    i < BROKEN_ACCOUNTS ? broken.get(i) : UUID.randomUUID().toString();
            commands.add("{\"command_id\":\"demo-push-" + i + "\",\"type\":\"push\",\"identity_token\":\"" + identity
                    + "\",\"endpoint\":\"" + PUSH_ENDPOINTS[i % PUSH_ENDPOINTS.length]
                    + "\",\"push\":{\"post\":{\"message\":\"Demo push "
                    + i + "\",\"link\":\"https://example.com/demo/" + i + "\"}}}");
        }
        var campaign = new StringBuilder(
                "{\"command_id\":\"demo-campaign-part-1\",\"type\":\"campaign\",\"campaign_id\":\"demo-campaign\","
                        + "\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"Demo campaign https://example.com/sale\"},"
                        + "\"flags\":{\"enable_tracking\":1}}},\"recipients\":[");
        for (int i = 0; i < recipients; i++) {
            campaign.append(i == 0 ? "" : ",")
                    .append("{\"user_token\":\"")
                    .append(UUID.randomUUID())
                    .append("\",\"providers\":[\"facebook\"]}");
        }
        commands.add(campaign.append("]}").toString());
        return commands;
    }
}
