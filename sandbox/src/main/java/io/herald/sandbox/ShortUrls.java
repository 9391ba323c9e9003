package io.herald.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** The {@code oal.lu} links that a message with tracking enabled gets, one set per publication. */
final class ShortUrls {
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"<>]+");
    private static final String BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private ShortUrls() {}

    /** A short URL for each distinct URL of the text and for the link, or none without tracking. */
    static List<ShortUrl> forParts(JsonNode parts, Instant now) {
        if (!isTrackingEnabled(parts)) {
            return List.of();
        }
        var urls = new LinkedHashSet<String>();
        var matcher = URL.matcher(Json.text(parts.path("text").path("body")).orElse(""));
        while (matcher.find()) {
            urls.add(matcher.group());
        }
        Json.text(parts.path("link").path("url")).ifPresent(urls::add);
        var random = ThreadLocalRandom.current();
        var shortUrls = new ArrayList<ShortUrl>();
        for (var url : urls) {
            var token = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                token.append(BASE62.charAt(random.nextInt(BASE62.length())));
            }
            shortUrls.add(new ShortUrl(token.toString(), url, now, random.nextLong(500, 5_000)));
        }
        return shortUrls;
    }

    private static boolean isTrackingEnabled(JsonNode parts) {
        var flag = parts.path("flags").path("enable_tracking");
        return flag.asInt(0) == 1 || "1".equals(flag.asText());
    }
}
