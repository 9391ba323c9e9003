package io.herald.schema;

import java.util.Optional;

/**
 * The checks of a push command's {@code push} node, endpoint by endpoint, as far as OneAll's Push
 * pages and SDKs describe its body. A rule marked inferred stands where OneAll documents nothing:
 * it checks only the node's name and that URL fields are http(s) URLs. Fields a rule does not name
 * stay allowed, since the node is passed on to OneAll as it is.
 */
final class PushRules {
    static final String FACEBOOK_POST_REFUSED = "facebook/post is deprecated: Facebook removed posting to personal"
            + " profiles on 2018-08-01; use facebook/page/post with push.page.id";

    private PushRules() {}

    /** Why a command may not name this endpoint at all, if it may not. */
    static Optional<String> refusal(PushEndpoint endpoint) {
        return endpoint == PushEndpoint.FACEBOOK_POST ? Optional.of(FACEBOOK_POST_REFUSED) : Optional.empty();
    }

    static void check(PushEndpoint endpoint, Fields push) {
        Rules.findNul(push.node(), "/push")
                .ifPresent(at -> push.violation(at, "nul", "push must not contain NUL characters"));
        switch (endpoint) {
            case FACEBOOK_POST -> {} // refused by its name
            case FACEBOOK_PICTURE,
                    FACEBOOK_VIDEO,
                    FACEBOOK_GROUP_POST,
                    FACEBOOK_GROUP_PICTURE,
                    FACEBOOK_GROUP_VIDEO,
                    FACEBOOK_PAGE_POST,
                    FACEBOOK_PAGE_PICTURE,
                    FACEBOOK_PAGE_VIDEO -> FacebookPushRules.check(endpoint, push);
            case LINKEDIN_POST -> node(push, endpoint, "post").ifPresent(PushRules::linkedInPost);
            case LINKEDIN_COMPANY_POST ->
                node(push, endpoint, "post").ifPresent(post -> {
                    post.requiredText("company");
                    linkedInPost(post);
                });
            // Inferred: OneAll documents the pin body only for its older path pinterest/pin.json.
            case PINTEREST_PIN -> node(push, endpoint, "pin").ifPresent(pin -> urls(pin, "picture", "link"));
            // Inferred: no body is documented.
            case PINTEREST_BOARD -> node(push, endpoint, "board");
            case TWITTER_POST -> node(push, endpoint, "post").ifPresent(PushRules::tweet);
            case TWITTER_PICTURE ->
                node(push, endpoint, "picture").ifPresent(picture -> {
                    picture.requiredString("url", Rules.HTTP_URL);
                    picture.stringIfPresent("description");
                });
            case TWITTER_VIDEO ->
                node(push, endpoint, "video").ifPresent(video -> {
                    video.requiredString("video_url", Rules.HTTP_URL);
                    urls(video, "callback_url");
                });
            case YOUTUBE_VIDEO -> node(push, endpoint, "video").ifPresent(PushRules::youTubeVideo);
            // Inferred, this and the two below: no body is documented.
            case YOUTUBE_PLAYLIST_VIDEO ->
                node(push, endpoint, "video")
                        .ifPresent(video -> urls(video, "video_url", "thumbnail_url", "callback_url"));
            case YOUTUBE_PLAYLIST -> node(push, endpoint, "playlist");
            case YOUTUBE_CHANNEL_SECTION -> node(push, endpoint, "section");
        }
    }

    /** The endpoint's object node, {@code push.<name>}, which OneAll requires to be there. */
    static Optional<Fields> node(Fields push, PushEndpoint endpoint, String name) {
        var value = push.node().get(name);
        if (value == null || value.isNull()) {
            push.violation(push.pointer(name), "required", "push." + name + " is required for " + endpoint.template());
            return Optional.empty();
        }
        return push.optionalObject(name);
    }

    /** Fields that, when present, are http(s) URLs. */
    static void urls(Fields node, String... names) {
        for (var name : names) {
            node.optionalString(name, Rules.HTTP_URL);
        }
    }

    /** A list of ids of uploaded pictures or videos, as OneAll's examples give them: strings. */
    static int attachments(Fields post, int max, String tooMany) {
        var attachments = post.node().get("attachments");
        if (attachments == null || attachments.isNull()) {
            return 0;
        }
        if (!attachments.isArray()) {
            post.violation(
                    post.pointer("attachments"),
                    "array",
                    "attachments must be a list of the ids of uploaded" + " pictures or videos, not "
                            + CommandReader.kind(attachments));
            return 0;
        }
        if (attachments.size() > max) {
            post.violation(post.pointer("attachments"), "max-items", tooMany);
        }
        for (int i = 0; i < attachments.size(); i++) {
            var id = attachments.get(i);
            if (!id.isTextual() || id.asText().isEmpty()) {
                post.violation(
                        post.pointer("attachments") + "/" + i,
                        "string",
                        "an attachment is the id of an uploaded"
                                + " picture or video as a string, such as \"910890718352281600\", not "
                                + CommandReader.kind(id));
            }
        }
        return attachments.size();
    }

    /** OneAll's Twitter post page: a message of no more than 140 characters, up to four attachments. */
    private static void tweet(Fields post) {
        post.requiredText("message").ifPresent(message -> {
            int characters = message.codePointCount(0, message.length());
            if (characters > Limits.MAX_TWEET_CHARACTERS) {
                post.violation(
                        post.pointer("message"),
                        "max-length",
                        "push.post.message has " + characters + " characters; a Tweet has no more than "
                                + Limits.MAX_TWEET_CHARACTERS);
            }
        });
        attachments(
                post,
                Limits.MAX_TWEET_ATTACHMENTS,
                "push.post.attachments is a list of up to " + Limits.MAX_TWEET_ATTACHMENTS + " picture or video ids");
        post.stringIfPresent("location");
    }

    /** OneAll's LinkedIn SDK: the link is mandatory, the picture is an image URL. */
    private static void linkedInPost(Fields post) {
        post.requiredString("link", Rules.HTTP_URL);
        urls(post, "picture");
        post.stringIfPresent("title");
        post.stringIfPresent("description");
        post.stringIfPresent("message");
    }

    /** OneAll's SDK: a video URL and a title. */
    private static void youTubeVideo(Fields video) {
        video.requiredString("video_url", Rules.HTTP_URL);
        video.requiredText("title");
        video.stringIfPresent("description");
        urls(video, "thumbnail_url", "callback_url");
    }
}
