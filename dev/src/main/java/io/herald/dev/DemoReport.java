package io.herald.dev;

import io.herald.campaign.CampaignReport;
import io.herald.cli.CampaignCommand;
import io.herald.observe.Metrics;
import io.herald.store.Totals;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/** What the demo shows of its workload: a progress bar while it runs, then tables of what ended how. */
final class DemoReport {
    private final PrintStream out;
    private final DataSource dataSource;
    private final Totals totals;
    private final int total;

    DemoReport(PrintStream out, DataSource dataSource, int total) {
        this.out = out;
        this.dataSource = dataSource;
        this.totals = new Totals(dataSource);
        this.total = total;
    }

    /** Shows progress until nothing is pending or in flight (or the time is up): redrawn on a terminal, a line each 5 s otherwise. */
    void awaitQuiet(Duration limit) throws Exception {
        boolean terminal = System.console() != null;
        long deadline = System.nanoTime() + limit.toNanos();
        long lastLine = 0;
        while (System.nanoTime() < deadline) {
            var counts = totals.commandsByStatus();
            long ended = counts.entrySet().stream()
                    .filter(e -> !e.getKey().equals("pending")
                            && !e.getKey().equals("in_flight")
                            && !e.getKey().equals("campaign"))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            var line = CampaignCommand.bar(Math.min(ended, total), total) + " " + counts;
            if (terminal) {
                out.print("\r" + line);
            } else if (System.nanoTime() - lastLine > TimeUnit.SECONDS.toNanos(5)) {
                out.println(line);
                lastLine = System.nanoTime();
            }
            if (ended >= total
                    && counts.getOrDefault("pending", 0L) == 0
                    && counts.getOrDefault("in_flight", 0L) == 0) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        if (terminal) {
            out.println();
        }
    }

    /** The tables: commands by status, dead letters by class, and a few figures of the run. */
    void summary(Metrics metrics, double seconds, long calls) throws Exception {
        var counts = totals.commandsByStatus();
        counts.remove("campaign");
        out.println();
        out.println("| commands by status | count |");
        out.println("|---|---|");
        counts.forEach((status, count) -> out.printf("| %s | %d |%n", status, count));
        out.println();
        out.println("| dead letters by class | count |");
        out.println("|---|---|");
        for (var letters : totals.deadLettersByClass()) {
            out.printf("| %s | %d (%d replayed) |%n", letters.errorClass(), letters.count(), letters.replayed());
        }
        out.println();
        out.println("| figure | value |");
        out.println("|---|---|");
        out.printf("| commands and records | %d |%n", total);
        out.printf("| calls received by the OneAll sandbox | %d |%n", calls);
        out.printf("| retries scheduled | %d |%n", metrics.counterTotal("herald_retries_total"));
        out.printf(Locale.ROOT, "| throughput (ended / s, enqueue to last) | %.0f |%n", total / seconds);
        out.println();
    }

    /** The campaign's line: its progress, its message and the referral clicks counted so far. */
    void campaign(String campaignId) throws Exception {
        var campaign = CampaignReport.find(dataSource, campaignId).orElseThrow();
        out.println("campaign " + campaignId + ": " + CampaignCommand.bar(campaign.path("progress")) + ", message "
                + campaign.path("sharing_message_token").asText() + ", "
                + campaign.path("referrals").path("total").asLong()
                + " referral click(s) so far");
    }
}
