package io.herald.command;

import io.herald.command.api.MessagePage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The site's messages that a lost publish could have made, gathered from OneAll's list page by page (newest first is
 * asked for), and whether the pages read show every one of them. Only a view that could show the message may prove it
 * missing, so nothing is taken on trust: the order is checked on the dates themselves (OneAll may ignore
 * {@code order_direction}), a list without pagination or that ends short of its own count is not the end, a list that
 * shrank while it was read may have moved a message past the pages read, and the pages read are bounded.
 */
public final class MessageListing {
    /** The most pages read for one lost publish. */
    public static final int MAX_PAGES = 5;
    /** The messages asked for a page (OneAll may give more or fewer). */
    public static final int PER_PAGE = 100;

    /** What to do after a page. */
    public sealed interface Next {
        /** Read this page next. */
        record ReadPage(int page) implements Next {}

        /** Every message made in the window is among the candidates. */
        record Complete() implements Next {}

        /** Some message made in the window may be missing from the candidates. */
        record Incomplete(String reason) implements Next {}
    }

    private final Instant from;
    private final Instant to;
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<String> candidates = new ArrayList<>();
    private Integer firstTotal;
    private Instant oldest;
    private boolean newestFirst = true;
    private int untokened;

    /** For a publish claimed at {@code claimedAt}: what it made is dated from the claim to its call's deadline. */
    public MessageListing(Instant claimedAt, Duration callTimeout) {
        this.from = claimedAt.minus(ReadBacks.SLACK);
        this.to = claimedAt.plus(callTimeout).plus(ReadBacks.SLACK);
    }

    /** Where the window opens: a message dated before it is not the lost publish's. */
    public Instant from() {
        return from;
    }

    /** The tokens of the messages read so far that the publish could have made, in the order listed. */
    public List<String> candidates() {
        return List.copyOf(candidates);
    }

    /** Takes in page {@code asked} as OneAll answered it, and says what next. */
    public Next add(int asked, MessagePage page) {
        if (page.paginated() && page.currentPage() != asked) {
            return new Next.Incomplete(
                    "page " + asked + " of the site's messages was asked for and page " + page.currentPage() + " came");
        }
        boolean overlaps =
                !page.entries().isEmpty() && seen.contains(page.entries().get(0).token());
        for (var summary : page.entries()) {
            take(summary);
        }
        if (untokened > 0) {
            return new Next.Incomplete(untokened + " message(s) listed since the claim have no token to read them by");
        }
        if (firstTotal == null) {
            firstTotal = page.totalEntries();
        } else if (page.totalEntries() != firstTotal && !overlaps) {
            return new Next.Incomplete("the site's list changed from " + firstTotal + " to " + page.totalEntries()
                    + " messages while it was read, so one may have moved past the pages read");
        }
        if (newestFirst && oldest != null && oldest.isBefore(from)) {
            return new Next.Complete();
        }
        if (!page.paginated()) {
            return page.entries().size() < PER_PAGE && seen.size() >= page.totalEntries()
                    ? new Next.Complete()
                    : new Next.Incomplete(
                            "the site's list shows " + page.entries().size()
                                    + " messages without saying whether more follow, and does not reach back to the claim");
        }
        if (page.entries().isEmpty() || page.currentPage() >= page.totalPages()) {
            // messages made while the list was read (it grew) cannot be the lost call's: it could no longer land
            int counted = Math.min(firstTotal, page.totalEntries());
            return seen.size() >= counted
                    ? new Next.Complete()
                    : new Next.Incomplete("the site's list ended after " + seen.size() + " of the " + counted
                            + " messages it counts");
        }
        if (asked >= MAX_PAGES) {
            return new Next.Incomplete("the " + MAX_PAGES + " pages of the site's messages read do not reach back to"
                    + " the claim" + (newestFirst ? "" : " (the list is not newest first)"));
        }
        return new Next.ReadPage(asked + 1);
    }

    private void take(MessagePage.Summary summary) {
        var created = summary.dateCreation();
        if (created == null || oldest != null && created.isAfter(oldest)) {
            newestFirst = false;
        }
        if (created != null && (oldest == null || created.isBefore(oldest))) {
            oldest = created;
        }
        boolean inWindow = created == null || !created.isBefore(from) && !created.isAfter(to);
        if (summary.token() == null) {
            untokened += inWindow ? 1 : 0;
        } else if (seen.add(summary.token()) && inWindow) {
            candidates.add(summary.token());
        }
    }
}
