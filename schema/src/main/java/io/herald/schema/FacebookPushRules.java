package io.herald.schema;

/**
 * The Facebook push bodies. The user's picture and video uploads and the page's post and picture
 * are described by OneAll's SDK and examples; the page video and the three group endpoints are not
 * documented at all, so their rules are inferred from the page's (see {@link PushRules}).
 */
final class FacebookPushRules {
    private FacebookPushRules() {}

    static void check(PushEndpoint endpoint, Fields push) {
        switch (endpoint) {
            case FACEBOOK_PICTURE -> PushRules.node(push, endpoint, "picture").ifPresent(FacebookPushRules::upload);
            case FACEBOOK_VIDEO -> PushRules.node(push, endpoint, "video").ifPresent(FacebookPushRules::upload);
            case FACEBOOK_PAGE_POST ->
                PushRules.node(push, endpoint, "page").ifPresent(page -> {
                    page.requiredText("id");
                    page.requiredText("message");
                    linkOrAttachment(page);
                });
            case FACEBOOK_PAGE_PICTURE ->
                PushRules.node(push, endpoint, "page").ifPresent(page -> {
                    page.requiredText("id");
                    page.requiredString("url", Rules.HTTP_URL);
                    page.stringIfPresent("description");
                });
            // Inferred: a page node like the page picture's, whose URL is a URL.
            case FACEBOOK_PAGE_VIDEO ->
                PushRules.node(push, endpoint, "page").ifPresent(page -> PushRules.urls(page, "url"));
            // Inferred: the rules of Facebook's posts, as for a page, but the message may give way to a link or an
            // attachment.
            case FACEBOOK_GROUP_POST -> PushRules.node(push, endpoint, "group").ifPresent(FacebookPushRules::groupPost);
            // Inferred: a group node whose URL is a URL.
            case FACEBOOK_GROUP_PICTURE, FACEBOOK_GROUP_VIDEO ->
                PushRules.node(push, endpoint, "group").ifPresent(group -> PushRules.urls(group, "url"));
            default -> throw new IllegalArgumentException(endpoint + " is no Facebook endpoint with a body to check");
        }
    }

    /** A picture or video uploaded for the user; {@code create_post} publishes it as a post at once. */
    private static void upload(Fields media) {
        media.requiredString("url", Rules.HTTP_URL);
        media.stringIfPresent("description");
        media.booleanIfPresent("create_post");
    }

    private static void groupPost(Fields group) {
        group.stringIfPresent("message");
        if (!linkOrAttachment(group) && !group.node().hasNonNull("message")) {
            group.violation(
                    group.pointer("message"), "required", "a Facebook post needs a message, a link or an attachment");
        }
    }

    /**
     * OneAll's Facebook post page: "You can either include a link or attachments but not both at the
     * same time", "Only one single attachment allowed".
     *
     * @return whether the post has a link or an attachment
     */
    private static boolean linkOrAttachment(Fields post) {
        boolean hasLink = post.node().hasNonNull("link");
        PushRules.urls(post, "link");
        int count = PushRules.attachments(
                post, Limits.MAX_FACEBOOK_ATTACHMENTS, "a Facebook post allows only one single attachment");
        if (hasLink && count > 0) {
            post.violation(
                    post.pointer("attachments"),
                    "link-or-attachments",
                    "a Facebook post can include a link or attachments but not both at the same time");
        }
        return hasLink || count > 0;
    }
}
