package io.herald.cli;

import static io.herald.testing.Commands.publishForIdentity;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.sandbox.OneAllSandbox;
import io.herald.testing.HeraldCli;
import io.herald.testing.SettableClock;
import io.herald.testing.WorkerHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code herald messages} against the sandbox: the site's messages (some published by Herald's worker, some by another
 * application of the same site) with OneAll's pagination, and their import into the reporting tables, which a second
 * import leaves as it was.
 */
@Timeout(240)
class MessagesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The reporting tables' content, but for the times rows were written. */
    private static final String SNAPSHOT = """
            SELECT string_agg(line, E'\\n' ORDER BY line) FROM (
                SELECT concat_ws('|', 'message', sharing_message_token, command_id, campaign_id, parts::text, date_creation, date_last_published,
                                 deleted_at) AS line FROM sharing_messages
                UNION ALL
                SELECT concat_ws('|', 'publication', id, sharing_message_token, command_id, provider, user_token, identity_token, status_flag,
                                 status_code, status_message, date_publication, publication_key) FROM publications
                UNION ALL
                SELECT concat_ws('|', 'short url', shorturl_token, sharing_message_token, publication_id, original_url, short_url, date_creation,
                                 date_last_referral, num_referrals) FROM short_urls
                UNION ALL
                SELECT 'referral samples|' || count(*) FROM referral_samples) lines""";

    /** The sandbox's clock stands still between publications, so that referral counts do not grow between two imports. */
    private final SettableClock clock = new SettableClock(Instant.parse("2025-03-01T09:00:00Z"));

    private final WorkerHarness herald =
            new WorkerHarness(OneAllSandbox.builder().eventLoops(1).clock(clock).start());
    /** The site's messages in order of creation. */
    private final List<String> messages = new ArrayList<>();

    private final List<String> publishedByHerald = new ArrayList<>();

    @BeforeEach
    void publishSeven() throws Exception {
        herald.startWorker();
        for (int i = 0; i < 7; i++) {
            if (i % 2 == 0) {
                var commandId = "publish-" + i;
                herald.send(publishForIdentity(commandId, token()));
                await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(herald.status(commandId)));
                var token = herald.string(
                        "SELECT sharing_message_token FROM sharing_messages WHERE command_id = ?", commandId);
                messages.add(token);
                publishedByHerald.add(token);
            } else {
                messages.add(publishElsewhere("Published elsewhere " + i + " https://example.com/elsewhere/" + i));
            }
            clock.advance(Duration.ofMinutes(1));
        }
    }

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void lists_a_page_of_the_sites_messages_with_oneall_pagination_oldest_or_newest_first() throws Exception {
        var second = HeraldCli.run(herald.environment(), "messages", "--per-page", "3", "--page", "2");

        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).startsWith("page 2 of 3: 7 message(s) in all, 3 per page, oldest first");
        assertThat(listedTokens(second.out())).containsExactlyElementsOf(messages.subList(3, 6));

        var newest = HeraldCli.run(herald.environment(), "messages", "--per-page", "3", "--newest-first", "--json");

        assertThat(newest.exitCode()).isZero();
        var page = JSON.readTree(newest.out());
        assertThat(page.path("pagination").path("current_page").asInt()).isEqualTo(1);
        assertThat(page.path("pagination").path("total_pages").asInt()).isEqualTo(3);
        assertThat(page.path("pagination").path("entries_per_page").asInt()).isEqualTo(3);
        assertThat(page.path("pagination").path("total_entries").asInt()).isEqualTo(7);
        assertThat(page.path("sharing_messages").findValuesAsText("sharing_message_token"))
                .containsExactly(messages.get(6), messages.get(5), messages.get(4));
        assertThat(page.path("sharing_messages").get(0).path("date_creation").asText())
                .isEqualTo("2025-03-01T09:06:00Z");
    }

    @Test
    void refuses_a_page_size_oneall_does_not_serve_and_names_the_settings_it_misses() {
        var tooLarge = HeraldCli.run(herald.environment(), "messages", "--per-page", "501");
        assertThat(tooLarge.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooLarge.err()).contains("--per-page must be between 1 and 500, got 501");

        var withoutKeys = new HashMap<>(herald.environment());
        withoutKeys.remove("ONEALL_PRIVATE_KEY");
        var missing = HeraldCli.run(withoutKeys, "messages");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(missing.err())
                .contains("ONEALL_PRIVATE_KEY")
                .doesNotContain(herald.sandbox().privateKey());

        var withoutDatabase = new HashMap<>(herald.environment());
        withoutDatabase.remove("HERALD_DATABASE_URL");
        var importing = HeraldCli.run(withoutDatabase, "messages", "--import");
        assertThat(importing.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(importing.err()).contains("HERALD_DATABASE_URL");
    }

    @Test
    void imports_every_listed_message_with_its_publications_and_short_urls_and_a_second_import_changes_nothing() {
        var heraldsPublications =
                herald.strings("SELECT concat_ws('|', id, command_id, publication_key) FROM publications ORDER BY id");

        var first = HeraldCli.run(herald.environment(), "messages", "--import", "--all", "--per-page", "3");

        assertThat(first.exitCode()).isZero();
        assertThat(first.out())
                .contains("page 1 of 3", "page 2 of 3", "page 3 of 3")
                .contains("imported 3 message(s): 2 new message(s), 2 new publication(s), 2 new short URL(s)");
        assertThat(herald.count("SELECT count(*) FROM sharing_messages")).isEqualTo(7);
        for (var token :
                messages.stream().filter(t -> !publishedByHerald.contains(t)).toList()) {
            assertThat(herald.count("SELECT count(*) FROM publications WHERE sharing_message_token = ?", token))
                    .as(token)
                    .isEqualTo(1);
            assertThat(herald.count(
                            "SELECT count(*) FROM short_urls WHERE sharing_message_token = ? AND publication_id IS NOT NULL",
                            token))
                    .as(token)
                    .isEqualTo(1);
        }
        assertThat(
                        herald.strings(
                                "SELECT concat_ws('|', id, command_id, publication_key) FROM publications WHERE command_id IS NOT NULL ORDER BY id"))
                .as("what the worker recorded of its own publications stays, without duplicates")
                .isEqualTo(heraldsPublications);
        var imported = herald.string(SNAPSHOT);

        var second = HeraldCli.run(herald.environment(), "messages", "--import", "--all", "--per-page", "3");

        assertThat(second.exitCode()).isZero();
        assertThat(second.out().lines().filter(line -> line.startsWith("imported")))
                .containsExactly(
                        "imported 3 message(s): 0 new message(s), 0 new publication(s), 0 new short URL(s)",
                        "imported 3 message(s): 0 new message(s), 0 new publication(s), 0 new short URL(s)",
                        "imported 1 message(s): 0 new message(s), 0 new publication(s), 0 new short URL(s)");
        assertThat(herald.string(SNAPSHOT)).isEqualTo(imported);
    }

    private static List<String> listedTokens(String out) {
        return out.lines()
                .filter(line -> line.startsWith("  "))
                .map(line -> line.trim().split("\\s+")[0])
                .toList();
    }

    /** A message published by another application of the same OneAll site, not through Herald. */
    private String publishElsewhere(String text) throws Exception {
        var body = "{\"request\":{\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"" + text
                + "\"},\"flags\":{\"enable_tracking\":1}}," + "\"publish_for_identity\":{\"identity_token\":\""
                + token() + "\"}}}}";
        var keys = herald.sandbox().publicKey() + ":" + herald.sandbox().privateKey();
        var request = HttpRequest.newBuilder(URI.create(herald.sandbox().baseUri() + "/sharing/messages.json"))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(keys.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        var answer = JSON.readTree(HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .body());
        return answer.at("/response/result/data/sharing_message/sharing_message_token")
                .asText();
    }
}
