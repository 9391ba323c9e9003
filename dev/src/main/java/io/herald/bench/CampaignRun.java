package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.WorkerApp;
import io.herald.campaign.CampaignReport;
import io.herald.embedded.EmbeddedDatabase;
import io.herald.schema.HeraldProducer;
import io.herald.store.jdbc.Database;
import java.io.PrintStream;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The campaign mode of {@code herald bench}: one campaign of N recipients, enqueued as parts of 10,000;
 * measures how fast it fans out (recipients acknowledged on the commands topic) and how long until every
 * recipient ended, from the campaign's own progress report.
 */
final class CampaignRun {
    private static final int PART = 10_000;

    private final Benchmark.Options options;
    private final PrintStream progress;
    private final String jdbcUrl;

    CampaignRun(Benchmark.Options options, PrintStream progress, String jdbcUrl) {
        this.options = options;
        this.progress = progress;
        this.jdbcUrl = jdbcUrl;
    }

    ObjectNode run(HeraldProducer producer, WorkerApp worker) throws Exception {
        var dataSource = Database.small(jdbcUrl, EmbeddedDatabase.USER, new io.herald.config.Secret(""));
        int recipients = options.campaign();
        long started = System.nanoTime();
        enqueue(producer, recipients);
        long fannedOutAt = 0;
        long lastReport = 0;
        ObjectNode report;
        while (true) {
            report = CampaignReport.find(dataSource, "bench-campaign").orElse(null);
            var state = report == null ? null : report.path("progress");
            long now = System.nanoTime();
            if (state != null && fannedOutAt == 0 && state.path("fanned_out").asLong() >= recipients) {
                fannedOutAt = now;
            }
            if (state != null
                    && state.path("recipients").asLong() == recipients
                    && state.path("pending").asLong() == 0) {
                break;
            }
            if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                lastReport = now;
                progress.printf("bench: campaign %s%n", state);
            }
            if (now - started > TimeUnit.MINUTES.toNanos(30)) {
                throw new IllegalStateException("the campaign did not end within 30 minutes: " + state);
            }
            Thread.sleep(250);
        }
        long ended = System.nanoTime();
        var node = new ObjectMapper().createObjectNode();
        node.put("mode", "campaign");
        node.put("recipients", recipients);
        node.put("latency_ms", options.latencyMs());
        node.put("fail_rate", options.failRate());
        node.put("max_in_flight", options.maxInFlight());
        node.put("campaign_window", options.campaignWindow());
        double fanOutSeconds = (fannedOutAt - started) / 1e9;
        double seconds = (ended - started) / 1e9;
        node.put("fan_out_s", Math.round(fanOutSeconds * 10) / 10.0);
        node.put("fan_out_per_s", Math.round(recipients / fanOutSeconds));
        node.put("complete_s", Math.round(seconds * 10) / 10.0);
        node.put("recipients_per_s", Math.round(recipients / seconds));
        node.set("progress", report.path("progress"));
        return node;
    }

    /** Enqueues the campaign as parts of {@link #PART} recipients, each sent before the next is built. */
    private static void enqueue(HeraldProducer producer, int recipients) {
        for (int offset = 0; offset < recipients; offset += PART) {
            var json = new StringBuilder("{\"command_id\":\"bench-campaign-part-")
                    .append(offset / PART)
                    .append("\",\"type\":\"campaign\",\"campaign_id\":\"bench-campaign\",\"recipient_offset\":")
                    .append(offset)
                    .append(
                            ",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"Benchmark campaign https://example.com/\"},")
                    .append("\"flags\":{\"enable_tracking\":1}}},\"recipients\":[");
            for (int i = offset; i < Math.min(recipients, offset + PART); i++) {
                json.append(i == offset ? "" : ",")
                        .append("{\"user_token\":\"")
                        .append(UUID.randomUUID())
                        .append("\",\"providers\":[\"twitter\"]}");
            }
            producer.send(json.append("]}").toString()).join();
        }
    }
}
