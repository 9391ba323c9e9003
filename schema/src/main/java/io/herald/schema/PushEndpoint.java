package io.herald.schema;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The 20 Push API endpoints a push command may name: the path between {@code /push/identities/<identity_token>/}
 * and {@code .json}. Two take an id of the network's own ({@code <board_id>}, {@code <playlist_id>}),
 * which is checked so that it cannot add a path segment, a query or an escape to the URL.
 */
public enum PushEndpoint {
    /**
     * Named so that the validator can refuse it with a reason: Facebook removed posting to personal
     * profiles on 2018-08-01, and OneAll deprecated the endpoint.
     */
    FACEBOOK_POST("facebook/post", "post"),
    FACEBOOK_PICTURE("facebook/picture", "picture"),
    FACEBOOK_VIDEO("facebook/video", "video"),
    FACEBOOK_GROUP_POST("facebook/group/post", "post"),
    FACEBOOK_GROUP_PICTURE("facebook/group/picture", "picture"),
    FACEBOOK_GROUP_VIDEO("facebook/group/video", "video"),
    FACEBOOK_PAGE_POST("facebook/page/post", "post"),
    FACEBOOK_PAGE_PICTURE("facebook/page/picture", "picture"),
    FACEBOOK_PAGE_VIDEO("facebook/page/video", "video"),
    LINKEDIN_POST("linkedin/post", "post"),
    LINKEDIN_COMPANY_POST("linkedin/company/post", "post"),
    PINTEREST_PIN("pinterest/board/<board_id>/pin", "pin"),
    PINTEREST_BOARD("pinterest/board", "board"),
    TWITTER_POST("twitter/post", "post"),
    TWITTER_PICTURE("twitter/picture", "picture"),
    TWITTER_VIDEO("twitter/video", "video"),
    YOUTUBE_VIDEO("youtube/video", "video"),
    YOUTUBE_PLAYLIST_VIDEO("youtube/playlist/<playlist_id>/video", "video"),
    YOUTUBE_PLAYLIST("youtube/playlist", "playlist"),
    YOUTUBE_CHANNEL_SECTION("youtube/channel/section", "section");

    /** What a {@code <board_id>} or {@code <playlist_id>} may be: letters, digits, '_' and '-', as the networks' ids are. */
    public static final String ID_PATTERN = "[A-Za-z0-9_-]{1,128}";

    private final String template;
    private final String object;
    private final Pattern pattern;

    PushEndpoint(String template, String object) {
        this.template = template;
        this.object = object;
        this.pattern = Pattern.compile(Pattern.quote(template)
                .replace("<board_id>", "\\E(" + ID_PATTERN + ")\\Q")
                .replace("<playlist_id>", "\\E(" + ID_PATTERN + ")\\Q"));
    }

    /** An endpoint with its id part, if it has one. */
    public record Resolved(PushEndpoint endpoint, String id) {
        public String path() {
            return endpoint.hasId()
                    ? endpoint.template.replaceAll("<[a-z_]+>", id == null ? "" : id)
                    : endpoint.template;
        }
    }

    public String template() {
        return template;
    }

    /** The provider key, the first segment. */
    public String provider() {
        return template.substring(0, template.indexOf('/'));
    }

    /** The object OneAll reports in {@code result.data.object}. */
    public String object() {
        return object;
    }

    public boolean hasId() {
        return template.indexOf('<') >= 0;
    }

    /** Reads an endpoint path as a command or a request names it; empty when it is none of the 20. */
    public static Optional<Resolved> parse(String path) {
        if (path == null) {
            return Optional.empty();
        }
        var fixed = Fixed.BY_TEMPLATE.get(path);
        if (fixed != null) {
            return Optional.of(new Resolved(fixed, null));
        }
        for (var endpoint : values()) {
            var matcher = endpoint.pattern.matcher(path);
            if (matcher.matches()) {
                return Optional.of(new Resolved(endpoint, endpoint.hasId() ? matcher.group(1) : null));
            }
        }
        return Optional.empty();
    }

    /** The endpoints without an id part, by path: most commands name one of them, found without a regex. */
    private static final class Fixed {
        static final java.util.Map<String, PushEndpoint> BY_TEMPLATE = java.util.Arrays.stream(values())
                .filter(endpoint -> !endpoint.hasId())
                .collect(java.util.stream.Collectors.toUnmodifiableMap(PushEndpoint::template, endpoint -> endpoint));
    }
}
