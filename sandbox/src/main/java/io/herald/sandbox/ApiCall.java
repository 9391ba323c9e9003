package io.herald.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** One API request as the sandbox reads it: whatever its Content-Type, a body is read as JSON. */
record ApiCall(
        String method,
        String path,
        String resource,
        MultiMap params,
        String authorization,
        JsonNode json,
        String bodyDigest,
        String excerpt,
        String pathToken,
        String target) {

    static final Pattern SHARING_MESSAGE = Pattern.compile("/sharing/messages/([^/]+)\\.json");
    static final Pattern PUSH = Pattern.compile("/push/identities/([^/]+)/(.+)\\.json");

    static ApiCall of(HttpServerRequest request, Buffer body) {
        var path = request.path();
        var bytes = body == null ? new byte[0] : body.getBytes();
        var json = parse(bytes);
        return new ApiCall(
                request.method().name(),
                path,
                request.uri(),
                request.params(),
                request.getHeader("Authorization"),
                json,
                bytes.length == 0 ? null : digest(bytes),
                excerpt(bytes),
                pathToken(path),
                target(json));
    }

    String param(String name) {
        return params.get(name);
    }

    int intParam(String name, int defaultValue) {
        var value = params.get(name);
        if (value == null || !value.matches("-?\\d{1,9}")) {
            return defaultValue;
        }
        return Integer.parseInt(value);
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String excerpt(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        var text = new String(bytes, 0, Math.min(bytes.length, 1024), java.nio.charset.StandardCharsets.UTF_8);
        return text.length() > 256 ? text.substring(0, 256) : text;
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            var node = Json.MAPPER.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String pathToken(String path) {
        var message = SHARING_MESSAGE.matcher(path);
        if (message.matches()) {
            return message.group(1);
        }
        var push = PUSH.matcher(path);
        return push.matches() ? push.group(1) : null;
    }

    private static String target(JsonNode json) {
        if (json == null) {
            return null;
        }
        var sharing = json.path("request").path("sharing_message");
        var user = sharing.path("publish_for_user").path("user_token");
        if (user.isTextual()) {
            return user.asText();
        }
        var identity = sharing.path("publish_for_identity").path("identity_token");
        return identity.isTextual() ? identity.asText() : null;
    }
}
