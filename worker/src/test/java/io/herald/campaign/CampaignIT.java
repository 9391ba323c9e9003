package io.herald.campaign;

import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.campaign;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.sandbox.RepublishAnswer;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Campaigns: one publish, one re-publish per further recipient, progress, cancellation, referral refreshes. */
@Timeout(300)
class CampaignIT {
    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    private static List<String> users(int count) {
        return IntStream.range(0, count).mapToObj(i -> token()).toList();
    }

    private long ended(String campaignId) {
        return herald.count(
                "SELECT count(*) FROM commands WHERE campaign_id = ? AND type IN ('publish', 'republish')"
                        + " AND status IN ('succeeded', 'partial', 'dead_lettered', 'cancelled')",
                campaignId);
    }

    /**
     * Guarantee: a campaign of 10,000 recipients in two parts publishes its message exactly once and re-publishes it
     * once for each of the 9,999 others, even though the worker is killed (SIGKILL, a separate JVM) in the middle of
     * the fan-out and the parts are redelivered to the worker that replaces it.
     */
    @Test
    void ten_thousand_recipients_get_one_publish_and_one_republish_each_despite_a_crash_mid_fan_out() {
        herald.sandbox().setFaults(Faults.NONE.withLatency(5, 5));
        var users = users(10_000);
        herald.with("HERALD_CAMPAIGN_WINDOW", "1500");
        var first = herald.startWorkerProcess("campaign-1");
        herald.send(
                campaign("sale-part-1", "sale", 0, users.subList(0, 5_000), "Spring sale"),
                campaign("sale-part-2", "sale", 5_000, users.subList(5_000, 10_000), "Spring sale"));

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> herald.count(
                                "SELECT coalesce(sum(fanned_out), 0) FROM campaign_parts WHERE campaign_id = 'sale'")
                        >= 2_000);
        first.kill();
        long fannedOutAtKill =
                herald.count("SELECT coalesce(sum(fanned_out), 0) FROM campaign_parts WHERE campaign_id = 'sale'");
        herald.startWorkerProcess("campaign-2");

        await().atMost(Duration.ofSeconds(200))
                .untilAsserted(() -> assertThat(ended("sale")).isEqualTo(10_000));
        var effects = herald.sandbox().journal().entries(Journal.Entry::effect);
        var publishes = effects.stream()
                .filter(e -> e.method().equals("POST") && e.path().equals("/sharing/messages.json"))
                .toList();
        var republishes = effects.stream()
                .filter(e -> e.method().equals("POST") && e.path().startsWith("/sharing/messages/"))
                .toList();
        assertThat(publishes).hasSize(1);
        assertThat(republishes).hasSize(9_999);
        var targets = new HashSet<String>();
        effects.forEach(e -> targets.add(e.target()));
        assertThat(targets).hasSize(10_000).containsAll(users);
        assertThat(herald.count(
                        "SELECT count(*) FROM commands WHERE campaign_id = 'sale' AND type IN ('publish', 'republish')"
                                + " AND status = 'succeeded'"))
                .isEqualTo(10_000);
        assertThat(
                        herald.count(
                                "SELECT count(*) FROM commands WHERE command_id IN ('sale-part-1', 'sale-part-2') AND status = 'succeeded'"))
                .isEqualTo(2);
        assertThat(
                        herald.count(
                                "SELECT count(DISTINCT sharing_message_token) FROM publications WHERE command_id LIKE 'sale:%'"))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        "completed".equals(herald.string("SELECT status FROM campaigns WHERE campaign_id = 'sale'")));
        System.out.printf(
                "campaign of 10,000: worker killed after %d recipients fanned out; %d publish, %d re-publishes%n",
                fannedOutAtKill, publishes.size(), republishes.size());
    }

    /**
     * Guarantee (fairness): single commands enqueued after a campaign of 10,000 recipients do not wait for the
     * campaign: they end while at most two windows plus the worker's in-flight limit of the campaign's recipients
     * end (a single waits behind at most the window on the topic when it arrives; meanwhile the campaign goes on
     * alongside it, at most another window), not the 9,000 the campaign still has.
     */
    @Test
    void single_commands_enqueued_behind_a_large_campaign_overtake_it() {
        // Answers list only the new publications: the order of work is this test's subject, and a whole message's
        // answers (250 publications each) would make it three times as long; the crash test above reads those.
        herald.sandbox()
                .setFaults(Faults.NONE.withLatency(20, 10).withRepublishAnswer(RepublishAnswer.NEW_PUBLICATIONS));
        int window = 500;
        herald.with("HERALD_CAMPAIGN_WINDOW", Integer.toString(window)).with("HERALD_MAX_IN_FLIGHT", "200");
        herald.startWorker();
        var users = users(10_000);
        herald.send(campaign("big-part-1", "big", 0, users, "Big campaign"));
        await().atMost(Duration.ofSeconds(60)).until(() -> ended("big") >= 1_000);

        long endedBefore = ended("big");
        var singles = IntStream.range(0, 20)
                .mapToObj(i -> aPush().withId("single-" + i)
                        .forIdentity(token())
                        .saying("hi " + i)
                        .json())
                .toList();
        herald.sendAll(singles);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> herald.count(
                                "SELECT count(*) FROM commands WHERE command_id LIKE 'single-%' AND status = 'succeeded'")
                        == 20);
        long campaignEndedMeanwhile = ended("big") - endedBefore;

        assertThat(campaignEndedMeanwhile)
                .as("campaign recipients that ended while the single commands waited")
                .isLessThanOrEqualTo(2L * window + 200);
        assertThat(ended("big")).as("the campaign was still running").isLessThan(10_000);
        System.out.printf(
                "fairness: 20 single commands ended while %d campaign recipients ended (bound %d)%n",
                campaignEndedMeanwhile, 2 * window + 200);
        await().atMost(Duration.ofSeconds(120)).until(() -> ended("big") == 10_000);
    }

    /** Guarantee: cancelling a campaign stops its recipients not sent yet; each ends cancelled, none is sent after. */
    @Test
    void a_cancelled_campaign_sends_nothing_more_and_its_recipients_end_cancelled() throws Exception {
        herald.sandbox().setFaults(Faults.NONE.withLatency(50, 0));
        herald.with("HERALD_CAMPAIGN_WINDOW", "200").with("HERALD_MAX_IN_FLIGHT", "50");
        herald.startWorker();
        var users = users(3_000);
        herald.send(campaign("stop-part-1", "stop", 0, users.subList(0, 2_000), "Stop me"));
        await().atMost(Duration.ofSeconds(60)).until(() -> ended("stop") >= 300);

        assertThat(new io.herald.campaign.CampaignLifecycle(
                                new io.herald.store.jdbc.Jdbc(herald.database()),
                                herald.config().kafka().outcomesTopic())
                        .cancel("stop"))
                .isTrue();
        long sentAtCancel =
                herald.sandbox().journal().entries(Journal.Entry::effect).size();
        herald.send(campaign("stop-part-2", "stop", 2_000, users.subList(2_000, 3_000), "Stop me"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(herald.status("stop-part-2")).isEqualTo("cancelled");
            assertThat(herald.status("stop-part-1")).isIn("succeeded", "cancelled");
            assertThat(
                            herald.count(
                                    "SELECT count(*) FROM commands WHERE campaign_id = 'stop' AND status IN ('pending', 'in_flight')"))
                    .isZero();
            // recipients fanned out before the cancel and still on the topic have no row yet: they end when consumed
            assertThat(CampaignReport.find(herald.database(), "stop")
                            .orElseThrow()
                            .path("progress")
                            .path("pending")
                            .asLong())
                    .isZero();
        });
        long sent = herald.sandbox().journal().entries(Journal.Entry::effect).size();
        // Commands claimed before the cancel may still be sent: a worker claims only with a free call slot, so at most
        // 50.
        assertThat(sent - sentAtCancel).isLessThanOrEqualTo(50);
        var report = CampaignReport.find(herald.database(), "stop").orElseThrow();
        var progress = report.path("progress");
        assertThat(progress.path("recipients").asLong()).isEqualTo(3_000);
        assertThat(progress.path("succeeded").asLong()).isEqualTo(sent);
        assertThat(progress.path("cancelled").asLong()).isEqualTo(3_000 - sent);
        assertThat(progress.path("pending").asLong()).isZero();
        assertThat(report.path("status").asText()).isEqualTo("cancelled");
    }

    /**
     * Guarantee: a campaign's message is refreshed on schedule while it is active, referral counts per short URL are
     * sampled over time, and a publisher that fails for good passes the role to the next recipient.
     */
    @Test
    void referrals_are_sampled_on_schedule_and_a_failed_publisher_is_replaced() throws Exception {
        var users = users(50);
        herald.sandbox().setFaults(Faults.NONE.withRule(FaultRule.failAlways(users.get(0), 404)));
        herald.with("HERALD_CAMPAIGN_REFRESH_S", "1");
        herald.startWorker();
        herald.send(campaign("clicks-part-1", "clicks", 0, users, "Click me"));

        await().atMost(Duration.ofSeconds(60)).until(() -> ended("clicks") == 50);
        assertThat(herald.status("clicks:0")).isEqualTo("dead_lettered");
        assertThat(herald.string("SELECT type FROM commands WHERE command_id = 'clicks:1'"))
                .isEqualTo("publish");
        assertThat(
                        herald.count(
                                "SELECT count(*) FROM commands WHERE campaign_id = 'clicks' AND type = 'republish' AND status = 'succeeded'"))
                .isEqualTo(48);
        // the report's history counts samples by the second, as this does
        await().atMost(Duration.ofSeconds(60)).until(() -> herald.count("""
                SELECT count(DISTINCT date_trunc('second', r.sampled_at)) FROM referral_samples r JOIN short_urls s ON s.shorturl_token = r.shorturl_token
                  JOIN campaigns k ON k.sharing_message_token = s.sharing_message_token WHERE k.campaign_id = 'clicks'""") >= 3);
        var report = CampaignReport.find(herald.database(), "clicks").orElseThrow();
        assertThat(report.path("referrals").path("short_urls").asLong()).isEqualTo(49);
        assertThat(report.path("referral_history").size()).isGreaterThanOrEqualTo(3);
        assertThat(report.path("progress").path("dead_lettered").asLong()).isEqualTo(1);
        assertThat(
                        herald.count(
                                "SELECT count(*) FROM commands WHERE command_id LIKE 'clicks:refresh:%' AND status = 'succeeded'"))
                .isGreaterThanOrEqualTo(3);
    }
}
