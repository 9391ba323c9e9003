package io.herald.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A sharing message as OneAll answers a publish, a re-publish or a read ({@code result.data.sharing_message}).
 *
 * @param token        {@code sharing_message_token}, or null when the answer lacks it
 * @param parts        the message's parts as OneAll shows them, or null
 * @param publications     the publications the answer lists: all of the message's, the most recent, or only the call's
 *                         own (each reading occurs)
 * @param publicationCount the number of publications the answer says the message has ({@code publications.count}), or
 *                         null when it does not say (a bare array)
 */
public record SharingMessage(
        String token,
        Instant dateCreation,
        Instant dateLastPublished,
        JsonNode parts,
        List<Publication> publications,
        Integer publicationCount) {
    public SharingMessage {
        publications = List.copyOf(publications);
    }

    /** Whether the answer may leave publications out: it says the message has more than it lists. */
    public boolean listsOnlySome() {
        return publicationCount != null && publicationCount > publications.size();
    }
}
