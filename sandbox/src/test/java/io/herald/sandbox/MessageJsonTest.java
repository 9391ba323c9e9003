package io.herald.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message as an answer renders it, its publications written straight to the bytes, and as anomalies see it. */
class MessageJsonTest {
    private static final Instant NOW = Instant.parse("2026-12-02T04:20:00Z");

    private static Message aMessage() {
        var parts = Json.NODES.objectNode();
        parts.putObject("text").put("body", "Spring sale");
        var message = new Message("message-1", 1, parts, NOW.minusSeconds(3600));
        var publications = List.of(
                new Publication(
                        "twitter",
                        "user-1",
                        "identity-1",
                        NOW.minusSeconds(60),
                        200,
                        "Published",
                        List.of(
                                new ShortUrl("aB3", "https://shop.example/sale", NOW.minusSeconds(10), 4_000),
                                new ShortUrl("cD4", "https://shop.example/", NOW.plusSeconds(5), 1_000))),
                new Publication("facebook", "user-2", null, NOW.minusSeconds(30), 401, null, List.of()));
        message.addPublications(publications, NOW.minusSeconds(30));
        return message;
    }

    /**
     * The text the sandbox answered when it built every publication as a tree first: a publication without an
     * identity has no {@code identity_token}, a failed one a null message, a short URL without referrals no
     * {@code date_last_referral}, and referrals grow with the time of the answer.
     */
    @Test
    void a_read_renders_every_publication_with_its_status_and_tracked_short_urls() {
        var message = aMessage();

        var answer = Answer.read(MessageJson.data(message, message.publications(), NOW));
        var text = new String(
                Envelope.render("/sharing/messages/message-1.json", answer, NOW).getBytes(), StandardCharsets.UTF_8);

        assertThat(text)
                .isEqualTo("{\"response\":{\"request\":{\"date\":\"Wed, 02 Dec 2026 04:20:00 +0000\","
                        + "\"resource\":\"/sharing/messages/message-1.json\",\"status\":{\"flag\":\"success\","
                        + "\"code\":200,\"info\":\"Your request has been processed successfully\"}},"
                        + "\"result\":{\"data\":{\"sharing_message\":{\"sharing_message_token\":\"message-1\","
                        + "\"date_creation\":\"Wed, 02 Dec 2026 03:20:00 +0000\","
                        + "\"date_last_published\":\"Wed, 02 Dec 2026 04:19:30 +0000\","
                        + "\"parts\":{\"text\":{\"body\":\"Spring sale\"}},"
                        + "\"publications\":[{\"provider\":\"twitter\",\"user_token\":\"user-1\","
                        + "\"identity_token\":\"identity-1\",\"date_publication\":\"Wed, 02 Dec 2026 04:19:00 +0000\","
                        + "\"status\":{\"flag\":\"success\",\"code\":200,\"message\":\"Published\"},"
                        + "\"tracked_shorturls\":[{\"shorturl\":{\"shorturl_token\":\"aB3\","
                        + "\"original_url\":\"https://shop.example/sale\",\"short_url\":\"http://oal.lu/aB3\","
                        + "\"date_creation\":\"Wed, 02 Dec 2026 04:19:50 +0000\","
                        + "\"date_last_referral\":\"Wed, 02 Dec 2026 04:19:58 +0000\",\"num_referrals\":\"2\"}},"
                        + "{\"shorturl\":{\"shorturl_token\":\"cD4\",\"original_url\":\"https://shop.example/\","
                        + "\"short_url\":\"http://oal.lu/cD4\",\"date_creation\":\"Wed, 02 Dec 2026 04:20:05 +0000\","
                        + "\"num_referrals\":\"0\"}}]},{\"provider\":\"facebook\",\"user_token\":\"user-2\","
                        + "\"date_publication\":\"Wed, 02 Dec 2026 04:19:30 +0000\","
                        + "\"status\":{\"flag\":\"error\",\"code\":401,\"message\":null}}]}}}}}");
    }

    @Test
    void an_anomaly_distorts_the_publications_as_a_tree() {
        var message = aMessage();
        var answer = Answer.success(200, MessageJson.data(message, message.publications(), NOW), null);

        var distorted = Anomalies.distort(Anomaly.NUL_CHARACTER, answer);

        assertThat(distorted.anomaly()).isEqualTo(Anomaly.NUL_CHARACTER);
        var publications = distorted.data().at("/sharing_message/publications");
        assertThat(publications.isArray()).isTrue();
        assertThat(publications).hasSize(2);
        assertThat(publications.get(0).at("/status/message").asText()).isEqualTo("Published\u0000");
        assertThat(publications.get(1).at("/tracked_shorturls").isMissingNode()).isTrue();
        assertThat(answer.data().at("/sharing_message/publications").isPojo())
                .as("the answer distorted is a copy; the original keeps its writer")
                .isTrue();
    }
}
