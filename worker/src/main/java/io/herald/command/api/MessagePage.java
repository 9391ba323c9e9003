package io.herald.command.api;

import java.time.Instant;
import java.util.List;

/**
 * One page of {@code GET /sharing/messages.json}: summaries only, with OneAll's pagination.
 *
 * @param paginated whether the answer had a {@code pagination} node (the oldest documented layout has none, and the
 *     page numbers here are then guesses: page 1 of 1)
 */
public record MessagePage(
        int currentPage,
        int totalPages,
        int entriesPerPage,
        int totalEntries,
        List<Summary> entries,
        boolean paginated) {
    public MessagePage {
        entries = List.copyOf(entries);
    }

    /** A listed message: its token and dates (a read of the message gives the rest). */
    public record Summary(String token, Instant dateCreation, Instant dateLastPublished) {}
}
