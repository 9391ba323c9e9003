package io.herald.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A re-publish answer narrowed to its target's publications, and answers made safe to store. */
class AnswersTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text.replace('\'', '"'));
    }

    @Test
    void a_whole_message_answer_keeps_only_the_targets_publications_and_every_other_field() throws Exception {
        var data = json("{'sharing_message': {'sharing_message_token': 'T', 'parts': {'text': {'body': 'hi'}},"
                + " 'publications': [{'user_token': 'u1', 'provider': 'twitter'},"
                + " {'user_token': 'u2', 'identity_token': 'i2', 'provider': 'twitter'},"
                + " {'user_token': 'u3', 'identity_token': 'i2', 'provider': 'facebook'}]}, 'other': 1}");
        var before = data.deepCopy();

        var byUser = Answers.narrowed(data, "u2");
        var byIdentity = Answers.narrowed(data, "i2");

        assertThat(byUser)
                .isEqualTo(json("{'sharing_message': {'sharing_message_token': 'T', 'parts': {'text': {'body': 'hi'}},"
                        + " 'publications': [{'user_token': 'u2', 'identity_token': 'i2', 'provider': 'twitter'}]},"
                        + " 'other': 1}"));
        assertThat(byIdentity.path("sharing_message").path("publications"))
                .extracting(entry -> entry.path("provider").asText())
                .containsExactly("twitter", "facebook");
        assertThat(data).as("the answer as received").isEqualTo(before);
    }

    @Test
    void a_paged_publication_list_keeps_its_count_and_loses_the_other_entries() throws Exception {
        var data = json("{'sharing_message': {'publications': {'count': 3, 'entries': ["
                + "{'user_token': 'u1'}, {'user_token': 'u2'}, {'user_token': 'u3'}]}}}");

        var narrowed = Answers.narrowed(data, "u3");

        assertThat(narrowed)
                .isEqualTo(json(
                        "{'sharing_message': {'publications': {'count': 3, 'entries': [" + "{'user_token': 'u3'}]}}}"));
        assertThat(data.path("sharing_message").path("publications").path("entries"))
                .hasSize(3);
    }

    @Test
    void an_answer_listing_only_the_targets_publications_is_returned_as_it_is() throws Exception {
        var data = json("{'sharing_message': {'publications': [{'user_token': 'u1'}]}}");

        assertThat(Answers.narrowed(data, "u1")).isSameAs(data);
        assertThat(Answers.narrowed(data, null)).isSameAs(data);
    }

    @Test
    void nul_characters_anywhere_in_the_tree_and_over_long_texts_are_cleaned_and_a_clean_tree_is_kept()
            throws Exception {
        var clean = json("{'a': [{'b': 'text'}, 1, null], 'c': {'d': true}}");
        var nulInValue = json("{'a': [{'b': 'te\\u0000xt'}]}");
        var nulInName = json("{'a': {'b\\u0000': 'x'}}");
        var long_ = MAPPER.createObjectNode().put("a", "x".repeat(Sanitizer.MAX_TEXT + 5));

        assertThat(Sanitizer.clean(clean)).isSameAs(clean);
        assertThat(Sanitizer.clean(nulInValue)).isEqualTo(json("{'a': [{'b': 'text'}]}"));
        assertThat(Sanitizer.clean(nulInName)).isEqualTo(json("{'a': {'b': 'x'}}"));
        assertThat(Sanitizer.clean(long_).path("a").asText()).hasSize(Sanitizer.MAX_TEXT);
    }
}
