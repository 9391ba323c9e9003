package io.herald.testing;

import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/** Request bodies of OneAll's Sharing and Push APIs, for tests that talk to the sandbox over HTTP. */
public final class SharingBodies {
    private SharingBodies() {}

    public static String token() {
        return UUID.randomUUID().toString();
    }

    /** A publish with tracking on, for the target ({@link #forUser} or {@link #forIdentity}). */
    public static String publish(String forTarget, String text) {
        return """
                {"request":{"sharing_message":{"parts":{"text":{"body":"%s"},"flags":{"enable_tracking":1}},%s}}}
                """.formatted(text, forTarget);
    }

    public static String republish(String forTarget) {
        return "{\"request\":{\"sharing_message\":{" + forTarget + "}}}";
    }

    public static String forUser(String userToken, String... providers) {
        return "\"publish_for_user\":{\"user_token\":\"%s\",\"providers\":[%s]}"
                .formatted(
                        userToken,
                        Arrays.stream(providers).map(p -> "\"" + p + "\"").collect(Collectors.joining(",")));
    }

    public static String forIdentity(String identityToken) {
        return "\"publish_for_identity\":{\"identity_token\":\"%s\"}".formatted(identityToken);
    }

    public static String tweet(String message) {
        return "{\"request\":{\"push\":{\"post\":{\"message\":\"" + message + "\"}}}}";
    }
}
