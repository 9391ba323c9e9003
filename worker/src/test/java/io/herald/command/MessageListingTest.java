package io.herald.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.api.MessagePage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The listing of a lost publish's window is complete only when it could show the message: newest first checked on the
 * dates, to the end of the list or past the window; a list that hides its pages, ends short, changes under the reader
 * or reaches past the pages read is incomplete (the verdict stays unknown), never taken as the whole.
 */
class MessageListingTest {
    private static final Instant CLAIM = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** {@code count} messages a second apart, newest first, the newest made at {@code newest}. */
    private static List<MessagePage.Summary> newestFirst(String prefix, int count, Instant newest) {
        var entries = new ArrayList<MessagePage.Summary>();
        for (int i = 0; i < count; i++) {
            entries.add(new MessagePage.Summary(prefix + i, newest.minusSeconds(i), null));
        }
        return entries;
    }

    private static MessagePage page(int number, int pages, int total, List<MessagePage.Summary> entries) {
        return new MessagePage(number, pages, 100, total, entries, true);
    }

    @Test
    void a_first_page_reaching_back_past_the_claim_is_complete_and_keeps_the_windows_messages() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        var entries = newestFirst("m", 100, CLAIM.minusSeconds(60));

        var next = listing.add(1, page(1, 9, 900, entries));

        assertThat(next).isEqualTo(new MessageListing.Next.Complete());
        assertThat(listing.candidates())
                .as("those made from two minutes before the claim")
                .hasSize(61)
                .startsWith("m0")
                .endsWith("m60");
    }

    @Test
    void a_window_longer_than_the_pages_read_is_incomplete_not_no_effect() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        MessageListing.Next next = null;
        for (int number = 1; number <= MessageListing.MAX_PAGES; number++) {
            next = listing.add(
                    number, page(number, 9, 900, newestFirst("p" + number + "-", 100, CLAIM.plusSeconds(30))));
            if (number < MessageListing.MAX_PAGES) {
                assertThat(next).isEqualTo(new MessageListing.Next.ReadPage(number + 1));
            }
        }

        assertThat(next).isInstanceOf(MessageListing.Next.Incomplete.class);
    }

    @Test
    void a_list_served_oldest_first_is_read_to_its_end_not_stopped_at_its_old_first_page() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        var old = new ArrayList<>(newestFirst("old", 100, CLAIM.minusSeconds(3600)));
        java.util.Collections.reverse(old);

        assertThat(listing.add(1, page(1, 2, 150, old))).isEqualTo(new MessageListing.Next.ReadPage(2));
        var recent = new ArrayList<>(newestFirst("new", 50, CLAIM.plusSeconds(20)));
        java.util.Collections.reverse(recent);
        assertThat(listing.add(2, page(2, 2, 150, recent))).isEqualTo(new MessageListing.Next.Complete());
        assertThat(listing.candidates()).hasSize(50);
    }

    @Test
    void a_list_without_pagination_that_fills_a_page_within_the_window_is_incomplete() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        var entries = newestFirst("m", 100, CLAIM.plusSeconds(60));

        var next = listing.add(1, new MessagePage(1, 1, 100, 100, entries, false));

        assertThat(next).isInstanceOf(MessageListing.Next.Incomplete.class);
    }

    @Test
    void a_list_without_pagination_shorter_than_a_page_is_the_whole_list() {
        var listing = new MessageListing(CLAIM, TIMEOUT);

        var next = listing.add(1, new MessagePage(1, 1, 100, 3, newestFirst("m", 3, CLAIM.plusSeconds(5)), false));

        assertThat(next).isEqualTo(new MessageListing.Next.Complete());
    }

    @Test
    void a_last_page_short_of_the_lists_own_count_is_incomplete() {
        var listing = new MessageListing(CLAIM, TIMEOUT);

        var next = listing.add(1, page(1, 1, 40, newestFirst("m", 10, CLAIM.plusSeconds(5))));

        assertThat(next).isInstanceOf(MessageListing.Next.Incomplete.class);
    }

    @Test
    void another_page_than_the_one_asked_for_is_incomplete() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        listing.add(1, page(1, 3, 300, newestFirst("a", 100, CLAIM.plusSeconds(200))));

        var next = listing.add(2, page(1, 3, 300, newestFirst("a", 100, CLAIM.plusSeconds(200))));

        assertThat(next).isInstanceOf(MessageListing.Next.Incomplete.class);
    }

    @Test
    void a_list_that_shrank_between_pages_may_have_moved_a_message_past_the_reader() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        listing.add(1, page(1, 3, 300, newestFirst("a", 100, CLAIM.plusSeconds(200))));

        var next = listing.add(2, page(2, 3, 299, newestFirst("b", 100, CLAIM.plusSeconds(100))));

        assertThat(next).isInstanceOf(MessageListing.Next.Incomplete.class);
    }

    @Test
    void a_list_that_grew_at_its_head_between_pages_repeats_an_entry_and_misses_none() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        var first = newestFirst("a", 100, CLAIM.plusSeconds(140));
        listing.add(1, page(1, 2, 150, first));
        var second = new ArrayList<MessagePage.Summary>();
        second.add(first.get(99));
        second.addAll(newestFirst("b", 50, CLAIM.plusSeconds(40)));

        var next = listing.add(2, page(2, 2, 151, second));

        assertThat(next).isEqualTo(new MessageListing.Next.Complete());
        assertThat(listing.candidates()).hasSize(150).doesNotHaveDuplicates();
    }

    @Test
    void messages_made_before_the_claim_or_after_the_calls_deadline_are_not_candidates() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        var entries = List.of(
                new MessagePage.Summary(
                        "late", CLAIM.plus(TIMEOUT).plus(ReadBacks.SLACK).plusSeconds(1), null),
                new MessagePage.Summary("ours", CLAIM.plusSeconds(1), null),
                new MessagePage.Summary("skewed", CLAIM.minus(ReadBacks.SLACK), null),
                new MessagePage.Summary("early", CLAIM.minus(ReadBacks.SLACK).minusSeconds(1), null));

        listing.add(1, page(1, 1, 4, entries));

        assertThat(listing.candidates()).containsExactly("ours", "skewed");
    }

    @Test
    void a_message_listed_in_the_window_without_a_token_cannot_be_read_so_the_view_is_incomplete() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        var entries = List.of(
                new MessagePage.Summary(null, CLAIM.plusSeconds(1), null),
                new MessagePage.Summary("old", CLAIM.minusSeconds(3600), null));

        assertThat(listing.add(1, page(1, 1, 2, entries))).isInstanceOf(MessageListing.Next.Incomplete.class);
    }

    @Test
    void an_empty_page_before_the_list_has_shown_what_it_counts_is_incomplete() {
        var listing = new MessageListing(CLAIM, TIMEOUT);
        listing.add(1, page(1, 3, 300, newestFirst("a", 100, CLAIM.plusSeconds(100))));

        var next = listing.add(2, page(2, 3, 300, List.of()));

        assertThat(next).isInstanceOf(MessageListing.Next.Incomplete.class);
    }
}
