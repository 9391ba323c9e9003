package io.herald.sandbox;

import static io.herald.testing.SharingBodies.forIdentity;
import static io.herald.testing.SharingBodies.publish;
import static io.herald.testing.SharingBodies.republish;
import static io.herald.testing.SharingBodies.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MessageListIT extends SandboxFixture {
    /** Publishes {@code count} messages, the clock moving {@code apart} between two, and returns their tokens in order. */
    private List<String> published(int count, Duration apart) {
        var tokens = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            var reply = http.post("/sharing/messages.json", publish(forIdentity(token()), "n" + i));
            tokens.add(reply.data().at("/sharing_message/sharing_message_token").asText());
            clock.advance(apart);
        }
        return tokens;
    }

    private JsonNode list(String query) {
        var reply = http.get("/sharing/messages.json" + query);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().at("/response/request/resource").asText()).isEqualTo("/sharing/messages.json" + query);
        return reply.data().path("sharing_messages");
    }

    private static List<String> tokens(JsonNode list) {
        var tokens = new ArrayList<String>();
        list.path("entries")
                .forEach(entry -> tokens.add(entry.path("sharing_message_token").asText()));
        return tokens;
    }

    private static List<String> reversed(List<String> tokens) {
        var copy = new ArrayList<>(tokens);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Test
    void the_list_is_ascending_on_date_creation_by_default_and_descending_when_asked() {
        var tokens = published(3, Duration.ofMinutes(1));

        var ascending = list("");
        var descending = list("?order_direction=desc");

        assertThat(tokens(ascending)).containsExactlyElementsOf(tokens);
        assertThat(ascending.at("/pagination/order/field").asText()).isEqualTo("date_creation");
        assertThat(ascending.at("/pagination/order/direction").asText()).isEqualTo("asc");
        assertThat(tokens(descending)).containsExactlyElementsOf(reversed(tokens));
        assertThat(descending.at("/pagination/order/direction").asText()).isEqualTo("desc");
        assertThat(tokens(list("?order_direction=asc"))).containsExactlyElementsOf(tokens);
    }

    @Test
    void messages_created_in_the_same_instant_are_listed_in_creation_order() {
        var tokens = published(20, Duration.ZERO);

        assertThat(tokens(list(""))).containsExactlyElementsOf(tokens);
        assertThat(tokens(list("?order_direction=desc"))).containsExactlyElementsOf(reversed(tokens));
    }

    @Test
    void entries_are_summaries_with_the_token_and_the_two_dates() {
        var token = published(1, Duration.ofMinutes(3)).get(0);
        http.post("/sharing/messages/" + token + ".json", republish(forIdentity(token())));

        var entry = list("").path("entries").get(0);

        assertThat(entry.fieldNames())
                .toIterable()
                .containsExactly("sharing_message_token", "date_creation", "date_last_published");
        assertThat(entry.path("date_creation").asText()).isEqualTo("Thu, 01 Jan 2026 10:00:00 +0000");
        assertThat(entry.path("date_last_published").asText()).isEqualTo("Thu, 01 Jan 2026 10:03:00 +0000");
    }

    @Test
    void pages_hold_250_entries_by_default_and_are_numbered_from_1() {
        var tokens = published(251, Duration.ZERO);

        var first = list("");
        var second = list("?page=2");

        assertThat(first.path("pagination").toString()).isEqualTo("""
                {"current_page":1,"total_pages":2,"entries_per_page":250,"total_entries":251,\
                "order":{"field":"date_creation","direction":"asc"}}""");
        assertThat(first.path("count").asInt()).isEqualTo(250);
        assertThat(tokens(first)).containsExactlyElementsOf(tokens.subList(0, 250));
        assertThat(second.at("/pagination/current_page").asInt()).isEqualTo(2);
        assertThat(second.path("count").asInt()).isEqualTo(1);
        assertThat(tokens(second)).containsExactly(tokens.get(250));
    }

    @Test
    void a_page_of_the_asked_size_is_cut_from_the_ordered_list() {
        var tokens = published(5, Duration.ofSeconds(1));

        var page = list("?page=2&entries_per_page=2&order_direction=desc");

        assertThat(page.at("/pagination/current_page").asInt()).isEqualTo(2);
        assertThat(page.at("/pagination/total_pages").asInt()).isEqualTo(3);
        assertThat(page.at("/pagination/entries_per_page").asInt()).isEqualTo(2);
        assertThat(page.at("/pagination/total_entries").asInt()).isEqualTo(5);
        assertThat(page.path("count").asInt()).isEqualTo(2);
        assertThat(tokens(page)).containsExactly(tokens.get(2), tokens.get(1));
        assertThat(tokens(list("?page=3&entries_per_page=2"))).containsExactly(tokens.get(4));
    }

    @Test
    void sizes_outside_1_to_500_fall_back_to_250_and_a_page_below_1_is_the_first() {
        published(3, Duration.ZERO);

        assertThat(list("?entries_per_page=500")
                        .at("/pagination/entries_per_page")
                        .asInt())
                .isEqualTo(500);
        assertThat(list("?entries_per_page=501")
                        .at("/pagination/entries_per_page")
                        .asInt())
                .isEqualTo(250);
        assertThat(list("?entries_per_page=0")
                        .at("/pagination/entries_per_page")
                        .asInt())
                .isEqualTo(250);
        assertThat(list("?entries_per_page=many")
                        .at("/pagination/entries_per_page")
                        .asInt())
                .isEqualTo(250);
        for (var page : List.of("0", "-3", "first")) {
            var list = list("?page=" + page);
            assertThat(list.at("/pagination/current_page").asInt()).as(page).isEqualTo(1);
            assertThat(list.path("count").asInt()).as(page).isEqualTo(3);
        }
    }

    @Test
    void an_empty_list_and_a_page_past_the_end_are_count_0_without_entries() {
        var empty = list("");
        published(2, Duration.ZERO);
        var pastTheEnd = list("?page=2&entries_per_page=2");

        assertThat(empty.path("count").asInt()).isZero();
        assertThat(empty.has("entries")).isFalse();
        assertThat(empty.at("/pagination/total_entries").asInt()).isZero();
        assertThat(empty.at("/pagination/total_pages").asInt()).isEqualTo(1);
        assertThat(pastTheEnd.path("count").asInt()).isZero();
        assertThat(pastTheEnd.has("entries")).isFalse();
        assertThat(pastTheEnd.at("/pagination/total_entries").asInt()).isEqualTo(2);
    }

    @Test
    void deleted_messages_are_not_listed() {
        var tokens = published(3, Duration.ofSeconds(1));
        http.delete("/sharing/messages/" + tokens.get(1) + ".json?confirm_deletion=true");

        var list = list("");

        assertThat(tokens(list)).containsExactly(tokens.get(0), tokens.get(2));
        assertThat(list.at("/pagination/total_entries").asInt()).isEqualTo(2);
        assertThat(sandbox.journal().entries(e -> e.method().equals("GET"))).allMatch(e -> !e.effect());
    }
}
