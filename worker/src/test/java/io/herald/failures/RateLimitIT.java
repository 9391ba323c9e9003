package io.herald.failures;

import static io.herald.testing.Commands.aPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.WorkerHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guarantee: a provider that throttles (429 with Retry-After) slows its own calls down, for every command, until they
 * fit its limit: none is exhausted, each succeeds once, and once the limiter has learnt the pace 429s are rare; the
 * other providers keep their pace meanwhile.
 */
@Timeout(300)
class RateLimitIT {
    private static final int TWITTER = 1_000;
    private static final int LINKEDIN = 200;

    private final WorkerHarness herald = new WorkerHarness();

    @AfterEach
    void stop() {
        herald.close();
    }

    private List<Journal.Entry> pushesTo(String provider) {
        return herald
                .sandbox()
                .journal()
                .entries(e -> e.path().startsWith("/push/") && e.path().endsWith("/" + provider + "/post.json"))
                .stream()
                .sorted(Comparator.comparingLong(Journal.Entry::sequence))
                .toList();
    }

    @Test
    void
            a_thousand_pushes_to_twitter_limited_to_100_a_second_succeed_once_each_with_few_429s_after_the_first_seconds() {
        herald.sandbox().setFaults(Faults.NONE.withRateLimit("twitter", 100, 100));
        var worker = herald.startWorker();
        await().atMost(Duration.ofSeconds(60)).until(() -> worker.notReadyReason() == null);
        var twitterPushes = new ArrayList<String>();
        for (int i = 0; i < TWITTER; i++) {
            twitterPushes.add(aPush().withId("twitter-" + i).to("twitter/post").json());
        }
        var linkedinPushes = new ArrayList<String>();
        for (int i = 0; i < LINKEDIN; i++) {
            linkedinPushes.add(
                    aPush().withId("linkedin-" + i).to("linkedin/post").json());
        }

        herald.sendAll(twitterPushes);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pushesTo("twitter").stream().anyMatch(e -> e.status() == 429));
        herald.sendAll(linkedinPushes);

        await().atMost(Duration.ofSeconds(180))
                .until(() ->
                        herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded'") == TWITTER + LINKEDIN);
        assertThat(herald.count("SELECT count(*) FROM dead_letters"))
                .as("none exhausted")
                .isZero();
        var twitter = pushesTo("twitter");
        var succeeded = twitter.stream()
                .filter(e -> e.status() == 200)
                .collect(Collectors.groupingBy(Journal.Entry::token, Collectors.counting()));
        assertThat(succeeded)
                .as("every push succeeded once")
                .hasSize(TWITTER)
                .allSatisfy((identity, calls) -> assertThat(calls).isEqualTo(1));
        assertThat(twitter).extracting(Journal.Entry::status).containsOnly(200, 429);

        var start = twitter.get(0).at();
        var settled = start.plusSeconds(3);
        var early = twitter.stream().filter(e -> e.at().isBefore(settled)).toList();
        var later = twitter.stream().filter(e -> !e.at().isBefore(settled)).toList();
        long early429 = early.stream().filter(e -> e.status() == 429).count();
        long later429 = later.stream().filter(e -> e.status() == 429).count();
        double share = later.isEmpty() ? 0 : (double) later429 / later.size();
        var end = twitter.get(twitter.size() - 1).at();
        var linkedin = pushesTo("linkedin");
        var linkedinSpan = Duration.between(
                linkedin.get(0).at(), linkedin.get(linkedin.size() - 1).at());
        System.out.printf(
                Locale.ROOT,
                "[herald-test] twitter limited to 100/s: %d calls over %.1f s (%.0f successes/s); first 3 s: %d calls,"
                        + " %d 429s; after: %d calls, %d 429s (%.2f %%); max attempts %s; linkedin: %d calls over %.1f s%n",
                twitter.size(),
                seconds(start, end),
                TWITTER / seconds(start, end),
                early.size(),
                early429,
                later.size(),
                later429,
                share * 100,
                herald.string("SELECT max(attempts) FROM commands"),
                linkedin.size(),
                linkedinSpan.toMillis() / 1000.0);
        assertThat(share).as("429s after the first 3 s, of the calls").isLessThan(0.05);
        assertThat(linkedin)
                .as("linkedin is not throttled")
                .hasSize(LINKEDIN)
                .extracting(Journal.Entry::status)
                .containsOnly(200);
        assertThat(linkedinSpan)
                .as("linkedin keeps its pace, faster than twitter's limit")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(linkedin.get(linkedin.size() - 1).at())
                .as("while twitter works through its backlog")
                .isBefore(end.minusSeconds(3));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
