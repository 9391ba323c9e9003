package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.campaign.CampaignLifecycle;
import io.herald.campaign.CampaignReport;
import io.herald.campaign.FanOutCommands;
import io.herald.config.HeraldConfig;
import io.herald.store.jdbc.Jdbc;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald campaign CAMPAIGN_ID}: a campaign's progress, message and referrals; {@code --watch}
 * follows it live, {@code --cancel} stops its recipients not sent yet, {@code --refresh} enqueues a
 * refresh of its message's referral counts now.
 */
@Command(
        name = "campaign",
        mixinStandardHelpOptions = true,
        description = {
            "Shows a campaign's progress, its message's tracked short URLs and referral totals.",
            "--cancel stops the recipients not sent yet (they end 'cancelled'); --refresh reads the referral counts now."
        })
public final class CampaignCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "CAMPAIGN_ID")
    String campaignId;

    @Option(names = "--json", description = "print the campaign as one JSON object (one per line with --watch)")
    boolean json;

    @Option(
            names = "--watch",
            description = "show progress live (a progress bar on a terminal) until every recipient ended")
    boolean watch;

    @Option(names = "--interval-ms", description = "refresh period of --watch (default: ${DEFAULT-VALUE})")
    long intervalMs = 1000;

    @Option(names = "--cancel", description = "cancel the campaign: recipients not sent yet end 'cancelled'")
    boolean cancel;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--refresh", description = "enqueue a refresh of the campaign's message now (its referral counts)")
    boolean refresh;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (intervalMs < 1) {
            throw new ParameterException(spec.commandLine(), "--interval-ms must be positive, got " + intervalMs);
        }
        var config = HeraldConfig.from(kafka.environment());
        try (var dataSource = Connections.database(config)) {
            return show(config, dataSource);
        }
    }

    private int show(HeraldConfig config, DataSource dataSource) throws Exception {
        var out = System.out;
        // with --json, what --cancel and --refresh did is part of the campaign's object, so that stdout stays JSON
        var done = JSON.createObjectNode();
        if (cancel) {
            boolean changed =
                    new CampaignLifecycle(new Jdbc(dataSource), config.kafka().outcomesTopic()).cancel(campaignId);
            done.put("cancelled_now", changed);
            if (!json) {
                out.println(
                        changed
                                ? "campaign " + campaignId + " cancelled: its recipients not sent yet end 'cancelled'"
                                : "campaign " + campaignId + " is unknown or was cancelled before");
            }
        }
        var campaign = find(dataSource);
        if (refresh) {
            var commandId = enqueueRefresh(config, campaign);
            done.put("refresh_command_id", commandId);
            if (!json) {
                out.println("refresh " + commandId + " enqueued");
            }
        }
        if (!watch) {
            print(out, campaign.setAll(done));
            return ExitCodes.OK;
        }
        boolean terminal = System.console() != null && !json;
        while (true) {
            if (terminal) {
                out.print("\r" + bar(campaign.path("progress")));
                out.flush();
            } else {
                print(out, campaign.setAll(done));
            }
            var status = campaign.path("status").asText();
            if (campaign.path("progress").path("pending").asLong() == 0 && !status.equals("active")) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(intervalMs);
            campaign = find(dataSource);
        }
        if (terminal) {
            out.println();
            print(out, campaign);
        }
        return ExitCodes.OK;
    }

    private ObjectNode find(DataSource dataSource) throws java.sql.SQLException {
        return CampaignReport.find(dataSource, campaignId)
                .orElseThrow(() -> new IllegalArgumentException("no campaign " + campaignId + " is recorded"));
    }

    /** The refresh command's id. */
    private String enqueueRefresh(HeraldConfig config, JsonNode campaign) throws Exception {
        var token = campaign.path("sharing_message_token").asText(null);
        if (token == null) {
            throw new IllegalArgumentException(
                    "campaign " + campaignId + " has no published message yet; nothing to refresh");
        }
        try (var publisher = Connections.publisher(config, "herald-campaign")) {
            var commandId = campaignId + ":refresh:" + Instant.now().toEpochMilli();
            publisher
                    .send(FanOutCommands.refresh(config.kafka().commandsTopic(), campaignId, token, commandId))
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            return commandId;
        }
    }

    private void print(PrintStream out, ObjectNode campaign) throws Exception {
        if (json) {
            out.println(JSON.writeValueAsString(campaign));
            return;
        }
        var progress = campaign.path("progress");
        out.printf(
                "campaign   %s (%s), %s part(s), started %s%n",
                text(campaign, "campaign_id"),
                text(campaign, "status"),
                text(campaign, "parts"),
                text(campaign, "created_at"));
        out.printf("message    %s%n", text(campaign, "sharing_message_token"));
        out.printf(
                "recipients %s: %s succeeded, %s partial, %s dead-lettered, %s cancelled, %s pending (%s in flight)%n",
                text(progress, "recipients"),
                text(progress, "succeeded"),
                text(progress, "partial"),
                text(progress, "dead_lettered"),
                text(progress, "cancelled"),
                text(progress, "pending"),
                text(progress, "in_flight"));
        out.printf(
                "fan-out    %s fanned out, %s sent to OneAll%n", text(progress, "fanned_out"), text(progress, "sent"));
        out.println(bar(progress));
        var referrals = campaign.path("referrals");
        out.printf(
                "referrals  %s click(s) on %s short URL(s) of %s publication(s); last refresh %s%n",
                text(referrals, "total"),
                text(referrals, "short_urls"),
                text(referrals, "publications"),
                text(campaign, "last_refresh_at"));
        for (var url : campaign.path("short_urls")) {
            out.printf(
                    "  %6s  %s -> %s (%s)%n",
                    text(url, "num_referrals"),
                    text(url, "short_url"),
                    text(url, "original_url"),
                    text(url, "provider"));
        }
        for (var sample : campaign.path("referral_history")) {
            out.printf("  at %s: %s click(s)%n", text(sample, "sampled_at"), text(sample, "referrals"));
        }
    }

    public static String bar(JsonNode progress) {
        long recipients = progress.path("recipients").asLong();
        return bar(recipients - progress.path("pending").asLong(), recipients);
    }

    /** A 40-character progress bar: {@code ended} of {@code total}. */
    public static String bar(long ended, long total) {
        int width = 40;
        int filled = total == 0 ? 0 : (int) (width * ended / total);
        long percent = total == 0 ? 0 : Math.min(100, Math.round(100.0 * ended / total));
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + ended + "/" + total + " ended (" + percent
                + "%)";
    }

    private static String text(JsonNode node, String field) {
        return StatusCommand.text(node, field);
    }
}
