package io.herald.dev;

import io.herald.WorkerApp;
import io.herald.cli.CampaignCommand;
import io.herald.cli.ReplayCommand;
import io.herald.config.HeraldConfig;
import io.herald.route.Topology;
import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.schema.HeraldProducer;
import io.herald.campaign.CampaignReport;
import io.herald.store.Database;
import io.herald.store.DeadLetterStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code herald demo}: dev mode end to end. Starts the embedded broker, PostgreSQL and the OneAll
 * sandbox, enqueues a sample workload (publishes, pushes to several networks, a campaign, and failures
 * on purpose), shows progress live, replays the dead letters whose cause it then removes, and ends
 * with a summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Dev mode end to end: embedded Kafka, PostgreSQL and OneAll sandbox, a sample workload with a campaign"
                + " and failures on purpose, live progress, a replay of the dead letters that can be replayed, and a summary."})
final class DemoCommand implements Callable<Integer> {
    private static final String[] PUSH_ENDPOINTS = {"twitter/post", "linkedin/post"};

    @Option(names = "--recipients", description = "recipients of the demo campaign (default: ${DEFAULT-VALUE})")
    int recipients = 3_000;

    @Option(names = "--singles", description = "single publishes and pushes each (default: ${DEFAULT-VALUE})")
    int singles = 300;

    @Override
    public Integer call() throws Exception {
        if (recipients < 2 || recipients > 10_000 || singles < 10) {
            throw new IllegalArgumentException("--recipients must be 2 to 10,000 and --singles at least 10");
        }
        var out = System.out;
        var environment = new HashMap<String, String>();
        environment.put("HERALD_HTTP_PORT", "0");
        environment.put("HERALD_MAX_ATTEMPTS", "3");
        environment.put("HERALD_RETRY_BACKOFF_MS", "200");
        environment.put("HERALD_RETRY_MAX_BACKOFF_MS", "1000");
        environment.put("HERALD_CAMPAIGN_REFRESH_S", "5");
        out.println("herald demo: starting the embedded Kafka broker, PostgreSQL and the OneAll sandbox (dev mode)...");
        long started = System.nanoTime();
        var dev = DevWorker.start(environment);
        var worker = dev.worker();
        try {
            var config = worker.config();
            var sandbox = dev.infrastructure().sandbox().orElseThrow();
            var dataSource = Database.pool(config.database(), "herald-demo");
            out.printf("herald demo: dev mode up in %.1f s: Kafka %s, %s, OneAll sandbox %s%n", seconds(started),
                    config.kafka().bootstrapServers(), config.database().url(), config.oneall().apiUrl());

            // Failures on purpose: 3% of calls answer 503 (retried), a few accounts are unknown to OneAll (404,
            // dead-lettered for good) and a few are down until the demo repairs them (503 until exhausted, then replayed).
            var broken = new ArrayList<String>();
            var unknown = new ArrayList<String>();
            var faults = Faults.NONE.withLatency(20, 20).withErrorRate(503, 0.03);
            for (int i = 0; i < 5; i++) {
                broken.add(UUID.randomUUID().toString());
                unknown.add(UUID.randomUUID().toString());
                faults = faults.withRule(FaultRule.failAlways(broken.get(i), 503)).withRule(FaultRule.failAlways(unknown.get(i), 404));
            }
            sandbox.setFaults(faults);

            var workload = workload(broken, unknown);
            Topology.ensureTopics(config);
            long enqueued = System.nanoTime();
            try (var producer = HeraldProducer.connect(config.kafka().bootstrapServers(), config.kafka().commandsTopic(), Map.of());
                    var raw = io.herald.route.Publisher.connect(config.kafka().bootstrapServers(), "herald-demo")) {
                producer.sendAll(workload).get(60, TimeUnit.SECONDS);
                // What the producer library refuses, a careless producer may still send: the worker dead-letters it.
                for (var bad : List.of("this is not JSON", "{\"command_id\":\"demo-bad-1\",\"type\":\"publish\"}",
                        "{\"command_id\":\"demo-bad-2\",\"type\":\"push\",\"identity_token\":\"../admin\",\"endpoint\":\"twitter/post\"}")) {
                    raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(config.kafka().commandsTopic(), null,
                            bad.getBytes(java.nio.charset.StandardCharsets.UTF_8))).toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
            }
            int total = workload.size() - 1 + recipients + 3;
            out.printf("herald demo: enqueued %d publishes, %d pushes, a campaign of %d recipients and 3 invalid records%n",
                    singles, singles, recipients);
            awaitQuiet(out, dataSource, total, Duration.ofSeconds(90));

            out.println("herald demo: the broken accounts are repaired; replaying the dead letters of class exhausted");
            sandbox.setFaults(Faults.NONE.withLatency(20, 20));
            var store = new DeadLetterStore(dataSource);
            var letters = store.find(new DeadLetterStore.Filter(null, null, List.of("exhausted"), null, null, null, false), 1_000);
            new ReplayCommand.Replay(store, config, false, 500, "herald-demo").run(letters);
            awaitQuiet(out, dataSource, total, Duration.ofSeconds(30));
            summary(out, worker, dataSource, total, seconds(enqueued), sandbox.journal().received());
            var campaign = CampaignReport.find(dataSource, "demo-campaign").orElseThrow();
            out.println("campaign demo-campaign: " + CampaignCommand.bar(campaign.path("progress")) + ", message "
                    + campaign.path("sharing_message_token").asText() + ", " + campaign.path("referrals").path("total").asLong()
                    + " referral click(s) so far");
            out.printf("herald demo: done in %.1f s%n", seconds(started));
        } finally {
            dev.shutdown(Duration.ofSeconds(10));
        }
        return 0;
    }

    private List<String> workload(List<String> broken, List<String> unknown) {
        var commands = new ArrayList<String>();
        for (int i = 0; i < singles; i++) {
            var user = i < 5 ? unknown.get(i) : UUID.randomUUID().toString();
            commands.add("{\"command_id\":\"demo-publish-" + i + "\",\"type\":\"publish\",\"metadata\":{\"source\":\"demo\"},"
                    + "\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"Demo message " + i + " https://example.com/demo\"},"
                    + "\"flags\":{\"enable_tracking\":1}},\"publish_for_user\":{\"user_token\":\"" + user
                    + "\",\"providers\":[\"twitter\",\"facebook\"]}}}");
            var identity = i < 5 ? broken.get(i) : UUID.randomUUID().toString();
            commands.add("{\"command_id\":\"demo-push-" + i + "\",\"type\":\"push\",\"identity_token\":\"" + identity
                    + "\",\"endpoint\":\"" + PUSH_ENDPOINTS[i % PUSH_ENDPOINTS.length] + "\",\"push\":{\"post\":{\"message\":\"Demo push "
                    + i + "\",\"link\":\"https://example.com/demo/" + i + "\"}}}");
        }
        var campaign = new StringBuilder("{\"command_id\":\"demo-campaign-part-1\",\"type\":\"campaign\",\"campaign_id\":\"demo-campaign\","
                + "\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"Demo campaign https://example.com/sale\"},"
                + "\"flags\":{\"enable_tracking\":1}}},\"recipients\":[");
        for (int i = 0; i < recipients; i++) {
            campaign.append(i == 0 ? "" : ",").append("{\"user_token\":\"").append(UUID.randomUUID()).append("\",\"providers\":[\"facebook\"]}");
        }
        commands.add(campaign.append("]}").toString());
        return commands;
    }

    /** Shows progress until nothing is pending or in flight (or the time is up). */
    private static void awaitQuiet(PrintStream out, DataSource dataSource, int total, Duration limit) throws Exception {
        boolean terminal = System.console() != null;
        long deadline = System.nanoTime() + limit.toNanos();
        long lastLine = 0;
        while (System.nanoTime() < deadline) {
            var counts = counts(dataSource);
            long ended = counts.entrySet().stream().filter(e -> !e.getKey().equals("pending") && !e.getKey().equals("in_flight")
                    && !e.getKey().equals("campaign")).mapToLong(Map.Entry::getValue).sum();
            var line = CampaignCommand.bar(Math.min(ended, total), total) + " " + counts;
            if (terminal) {
                out.print("\r" + line);
            } else if (System.nanoTime() - lastLine > TimeUnit.SECONDS.toNanos(5)) {
                out.println(line);
                lastLine = System.nanoTime();
            }
            if (ended >= total && counts.getOrDefault("pending", 0L) == 0 && counts.getOrDefault("in_flight", 0L) == 0) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        if (terminal) {
            out.println();
        }
    }

    /** Commands (campaign parts apart) by status, and dead-letter records without a command id (not JSON). */
    private static Map<String, Long> counts(DataSource dataSource) throws Exception {
        var counts = new java.util.TreeMap<String, Long>();
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement("""
                SELECT CASE WHEN type = 'campaign' THEN 'campaign' ELSE status END, count(*) FROM commands GROUP BY 1
                UNION ALL SELECT 'dead_lettered', count(*) FROM dead_letters WHERE command_id IS NULL""");
                var rows = statement.executeQuery()) {
            while (rows.next()) {
                counts.merge(rows.getString(1), rows.getLong(2), Long::sum);
            }
        }
        return counts;
    }

    private static void summary(PrintStream out, WorkerApp worker, DataSource dataSource, int total, double seconds, long calls)
            throws Exception {
        var counts = counts(dataSource);
        counts.remove("campaign");
        out.println();
        out.println("| commands by status | count |");
        out.println("|---|---|");
        counts.forEach((status, count) -> out.printf("| %s | %d |%n", status, count));
        out.println();
        out.println("| dead letters by class | count |");
        out.println("|---|---|");
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(
                "SELECT error_class, count(*), count(replayed_at) FROM dead_letters GROUP BY 1 ORDER BY 1");
                var rows = statement.executeQuery()) {
            while (rows.next()) {
                out.printf("| %s | %d (%d replayed) |%n", rows.getString(1), rows.getLong(2), rows.getLong(3));
            }
        }
        out.println();
        var metrics = worker.metrics();
        out.println("| figure | value |");
        out.println("|---|---|");
        out.printf("| commands and records | %d |%n", total);
        out.printf("| calls received by the OneAll sandbox | %d |%n", calls);
        out.printf("| retries scheduled | %d |%n", metrics.counterTotal("herald_retries_total"));
        out.printf(Locale.ROOT, "| throughput (ended / s, enqueue to last) | %.0f |%n", total / seconds);
        out.println();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
