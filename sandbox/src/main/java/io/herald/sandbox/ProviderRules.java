package io.herald.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.schema.PushEndpoint;

/** The limits that OneAll's Push pages document, applied as the real API would answer them. */
final class ProviderRules {
    record Refusal(int status, String info) {}

    private ProviderRules() {}

    static Refusal check(PushEndpoint endpoint, JsonNode push) {
        return switch (endpoint) {
            case FACEBOOK_POST ->
                new Refusal(
                        403,
                        "This endpoint is deprecated. On August 1, 2018 Facebook has removed"
                                + " the possibility for third-party apps to share to personal profiles. Publish to a page instead"
                                + " (facebook/page/post)");
            case FACEBOOK_PAGE_POST, FACEBOOK_GROUP_POST ->
                facebookPost(push.path(endpoint == PushEndpoint.FACEBOOK_PAGE_POST ? "page" : "group"));
            case TWITTER_POST -> tweet(push.path("post"));
            default -> null;
        };
    }

    private static Refusal facebookPost(JsonNode post) {
        var attachments = post.path("attachments");
        boolean hasLink = post.hasNonNull("link");
        if (hasLink && attachments.size() > 0) {
            return new Refusal(400, "You can either include a link or attachments but not both at the same time");
        }
        if (attachments.size() > 1) {
            return new Refusal(400, "Only one single attachment allowed");
        }
        if (!post.hasNonNull("message") && !hasLink && attachments.size() == 0) {
            return new Refusal(400, "Either a message, a link or an attachment must be supplied");
        }
        return null;
    }

    private static Refusal tweet(JsonNode post) {
        var message = post.path("message");
        if (!message.isTextual() || message.asText().isEmpty()) {
            return new Refusal(400, "The tweet must contain a message");
        }
        if (message.asText().codePointCount(0, message.asText().length()) > 140) {
            return new Refusal(400, "The message of a Tweet may contain no more than 140 characters");
        }
        if (post.path("attachments").size() > 4) {
            return new Refusal(400, "Up to four attachments are allowed");
        }
        return null;
    }

    static String location(String provider, String postId) {
        return switch (provider) {
            case "facebook" -> "https://www.facebook.com/" + postId;
            case "twitter" -> "https://twitter.com/i/status/" + postId;
            case "linkedin" -> "https://www.linkedin.com/feed/update/urn:li:share:" + postId;
            case "pinterest" -> "https://www.pinterest.com/pin/" + postId;
            default -> "https://www.youtube.com/watch?v=" + postId;
        };
    }
}
