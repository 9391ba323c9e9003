package io.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;

/** The limits OneAll's Push pages document, checked before anything is sent. */
final class PushRules {
    private PushRules() {}

    static void check(PushEndpoint endpoint, Fields push) {
        Rules.findNul(push.node(), "/push").ifPresent(at -> push.violation(at, "nul", "push must not contain NUL characters"));
        switch (endpoint) {
            case TWITTER_POST -> tweet(push);
            case FACEBOOK_POST, FACEBOOK_PAGE_POST, FACEBOOK_GROUP_POST -> facebookPost(push);
            default -> { }
        }
    }

    private static void tweet(Fields push) {
        push.requiredObject("post").ifPresent(post -> {
            post.requiredText("message").ifPresent(message -> {
                int characters = message.codePointCount(0, message.length());
                if (characters > Limits.MAX_TWEET_CHARACTERS) {
                    post.violation(post.pointer("message"), "max-length", "push.post.message has " + characters
                            + " characters; a Tweet has no more than " + Limits.MAX_TWEET_CHARACTERS);
                }
            });
            var attachments = post.node().get("attachments");
            if (attachments != null && (!attachments.isArray() || attachments.size() > Limits.MAX_TWEET_ATTACHMENTS)) {
                post.violation(post.pointer("attachments"), "max-items", "push.post.attachments is a list of up to "
                        + Limits.MAX_TWEET_ATTACHMENTS + " picture or video ids");
            }
        });
    }

    private static void facebookPost(Fields push) {
        for (var name : new String[] {"post", "page", "group"}) {
            var node = push.node().get(name);
            if (node != null && node.isObject()) {
                push.optionalObject(name).ifPresent(PushRules::facebookPostNode);
                return;
            }
        }
        push.violation("/push/post", "required", "push.post is required for a Facebook post");
    }

    private static void facebookPostNode(Fields post) {
        JsonNode attachments = post.node().get("attachments");
        boolean hasLink = post.node().hasNonNull("link");
        if (hasLink) {
            post.optionalString("link", Rules.HTTP_URL);
        }
        if (attachments != null && !attachments.isArray()) {
            post.violation(post.pointer("attachments"), "array", "attachments must be a list of picture ids");
            return;
        }
        int count = attachments == null ? 0 : attachments.size();
        if (hasLink && count > 0) {
            post.violation(post.pointer("attachments"), "link-or-attachments",
                    "a Facebook post can include a link or attachments but not both at the same time");
        } else if (count > Limits.MAX_FACEBOOK_ATTACHMENTS) {
            post.violation(post.pointer("attachments"), "max-items", "a Facebook post allows only one single attachment");
        }
        if (!hasLink && count == 0 && !post.node().hasNonNull("message")) {
            post.violation(post.pointer("message"), "required", "a Facebook post needs a message, a link or an attachment");
        }
    }
}
