package io.herald.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.command.api.CallResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The verdict on a lost re-publish from the message read back: the target's publication since the claim took effect;
 * "no effect" only from a read that lists every publication; a read that may list only some is undecided (unknown,
 * never sent again).
 */
class ReadBacksRepublishTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TARGET = "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8";
    private static final Instant CLAIMED = Instant.parse("2026-12-06T10:00:00Z");

    private static ObjectNode message() {
        var data = MAPPER.createObjectNode();
        data.putObject("sharing_message").put("sharing_message_token", "m1");
        return data;
    }

    private static void publication(ArrayNode publications, String user, String date) {
        var publication = publications.addObject().put("provider", "facebook").put("user_token", user);
        publication.putObject("status").put("flag", "success").put("code", 200);
        publication.put("date_publication", date);
    }

    /** A message whose publications are {@code others} of other users, and the target's if {@code withTarget}. */
    private static CallResult read(int others, boolean withTarget, Integer count) {
        var data = message();
        var message = (ObjectNode) data.get("sharing_message");
        ArrayNode publications;
        if (count == null) {
            publications = message.putArray("publications");
        } else {
            var node = message.putObject("publications");
            node.put("count", count);
            publications = node.putArray("entries");
        }
        for (int i = 0; i < others; i++) {
            publication(publications, "other-" + i, "Sun, 06 Dec 2026 10:00:30 +0100");
        }
        if (withTarget) {
            publication(publications, TARGET, "Sun, 06 Dec 2026 10:00:30 +0000");
        }
        return new CallResult.Answered(200, "success", null, data, Optional.empty(), null);
    }

    private static ReadBackVerdict verdict(CallResult read) {
        return ReadBacks.republish(read, "m1", TARGET, List.of("facebook"), CLAIMED);
    }

    @Test
    void the_targets_publication_since_the_claim_took_effect() {
        assertThat(verdict(read(3, true, null))).isInstanceOf(ReadBackVerdict.TookEffect.class);
    }

    @Test
    void a_short_complete_list_without_the_target_proves_no_effect() {
        assertThat(verdict(read(3, false, null))).isInstanceOf(ReadBackVerdict.NoEffect.class);
        assertThat(verdict(read(3, false, 3))).isInstanceOf(ReadBackVerdict.NoEffect.class);
    }

    @Test
    void a_read_that_says_it_lists_only_some_is_undecided() {
        assertThat(verdict(read(3, false, 400))).isInstanceOf(ReadBackVerdict.Undecided.class);
    }

    @Test
    void a_bare_list_exactly_as_long_as_a_full_page_may_go_on_past_it_and_is_undecided() {
        for (int page : new int[] {250, 500}) {
            var verdict = verdict(read(page, false, null));

            assertThat(verdict).as("%d publications", page).isInstanceOf(ReadBackVerdict.Undecided.class);
            assertThat(((ReadBackVerdict.Undecided) verdict).reason()).contains("a page of them");
        }
    }

    @Test
    void a_bare_list_of_another_length_is_no_page_cut_short_and_without_the_target_proves_no_effect() {
        for (int listed : new int[] {249, 251, 3_618}) {
            assertThat(verdict(read(listed, false, null)))
                    .as("%d publications", listed)
                    .isInstanceOf(ReadBackVerdict.NoEffect.class);
        }
    }
}
