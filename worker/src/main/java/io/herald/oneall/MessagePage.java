package io.herald.oneall;

import java.time.Instant;
import java.util.List;

/** One page of {@code GET /sharing/messages.json}: summaries only, with OneAll's pagination. */
public record MessagePage(
        int currentPage, int totalPages, int entriesPerPage, int totalEntries, List<Summary> entries) {
    public MessagePage {
        entries = List.copyOf(entries);
    }

    /** A listed message: its token and dates (a read of the message gives the rest). */
    public record Summary(String token, Instant dateCreation, Instant dateLastPublished) {}
}
