package io.herald.testing;

import java.util.UUID;

/** Test fixtures: commands as JSON, built in sentences ({@code aPush().forIdentity(t).withId(id).json()}). */
public final class Commands {
    private Commands() {}

    public static String token() {
        return UUID.randomUUID().toString();
    }

    public static PushBuilder aPush() {
        return new PushBuilder();
    }

    public static String publishForUser(String commandId, String userToken, String... providers) {
        var list = String.join(
                ",",
                java.util.Arrays.stream(providers).map(p -> "\"" + p + "\"").toList());
        return "{\"command_id\":\"" + commandId
                + "\",\"type\":\"publish\",\"metadata\":{\"origin\":\"test\"},\"sharing_message\":"
                + "{\"parts\":{\"text\":{\"body\":\"Hello https://example.com/" + commandId
                + "\"},\"flags\":{\"enable_tracking\":1}},"
                + "\"publish_for_user\":{\"user_token\":\"" + userToken + "\",\"providers\":[" + list + "]}}}";
    }

    public static String publishForIdentity(String commandId, String identityToken) {
        return "{\"command_id\":\"" + commandId
                + "\",\"type\":\"publish\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":"
                + "\"Hi https://example.com/x\"},\"flags\":{\"enable_tracking\":1}},\"publish_for_identity\":{\"identity_token\":\""
                + identityToken + "\"}}}";
    }

    public static String republish(String commandId, String messageToken, String identityToken) {
        return "{\"command_id\":\"" + commandId + "\",\"type\":\"republish\",\"sharing_message_token\":\""
                + messageToken + "\",\"sharing_message\":{\"publish_for_identity\":{\"identity_token\":\""
                + identityToken + "\"}}}";
    }

    public static String delete(String commandId, String messageToken) {
        return "{\"command_id\":\"" + commandId + "\",\"type\":\"delete\",\"sharing_message_token\":\"" + messageToken
                + "\"}";
    }

    public static String refresh(String commandId, String messageToken) {
        return "{\"command_id\":\"" + commandId + "\",\"type\":\"refresh\",\"sharing_message_token\":\"" + messageToken
                + "\"}";
    }

    /** A campaign part of {@code recipients} users (facebook) with tokens from {@code users}, starting at {@code offset}. */
    public static String campaign(
            String commandId, String campaignId, int offset, java.util.List<String> users, String text) {
        var recipients = users.stream()
                .map(u -> "{\"user_token\":\"" + u + "\",\"providers\":[\"facebook\"]}")
                .collect(java.util.stream.Collectors.joining(","));
        return "{\"command_id\":\"" + commandId + "\",\"type\":\"campaign\",\"campaign_id\":\"" + campaignId
                + "\",\"recipient_offset\":" + offset + ",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"" + text
                + " https://example.com/sale\"},\"flags\":{\"enable_tracking\":1}}},\"recipients\":[" + recipients
                + "]}";
    }

    public static final class PushBuilder {
        private String commandId = "push-" + UUID.randomUUID();
        private String identity = token();
        private String endpoint = "twitter/post";
        private String message = "Hello World!";
        private java.time.Instant notBefore;

        public PushBuilder withId(String id) {
            this.commandId = id;
            return this;
        }

        public PushBuilder forIdentity(String identityToken) {
            this.identity = identityToken;
            return this;
        }

        public PushBuilder to(String endpointPath) {
            this.endpoint = endpointPath;
            return this;
        }

        public PushBuilder saying(String text) {
            this.message = text;
            return this;
        }

        /** Not sent before {@code at} (its {@code not_before}). */
        public PushBuilder notBefore(java.time.Instant at) {
            this.notBefore = at;
            return this;
        }

        /** The command; a LinkedIn post gets the link its endpoint requires. */
        public String json() {
            var link = endpoint.startsWith("linkedin/") ? ",\"link\":\"https://example.com/" + commandId + "\"" : "";
            var schedule = notBefore == null ? "" : "\"not_before\":\"" + notBefore + "\",";
            return "{\"command_id\":\"" + commandId + "\",\"type\":\"push\"," + schedule + "\"identity_token\":\""
                    + identity + "\",\"endpoint\":\"" + endpoint + "\",\"push\":{\"post\":{\"message\":\"" + message
                    + "\"" + link + "}}}";
        }
    }
}
