package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a sharing message's publications in both layouts OneAll's sources show: a bare array
 * ({@code oneall-docs/001}) or {@code {count, entries}} (the SDKs).
 */
public final class Publications {
    private Publications() {}

    /** The publication entries of {@code result.data}, or of a {@code sharing_message} node. */
    public static List<JsonNode> entries(JsonNode dataOrMessage) {
        if (dataOrMessage == null) {
            return List.of();
        }
        var message = dataOrMessage.has("sharing_message") ? dataOrMessage.get("sharing_message") : dataOrMessage;
        var publications = message.path("publications");
        var list = publications.isArray() ? publications : publications.path("entries");
        var entries = new ArrayList<JsonNode>();
        if (list.isArray()) {
            list.forEach(entries::add);
        }
        return entries;
    }

    /** The tracked short URLs of one publication: {@code tracked_shorturls[].shorturl} or {@code shorturls[.entries]}. */
    public static List<JsonNode> shortUrls(JsonNode publication) {
        var result = new ArrayList<JsonNode>();
        var tracked = publication.path("tracked_shorturls");
        if (tracked.isArray()) {
            tracked.forEach(entry -> result.add(entry.has("shorturl") ? entry.get("shorturl") : entry));
        }
        var shortUrls = publication.path("shorturls");
        var list = shortUrls.isArray() ? shortUrls : shortUrls.path("entries");
        if (list.isArray()) {
            list.forEach(result::add);
        }
        return result;
    }
}
