package io.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A plain JDK HTTP client for talking to the sandbox in tests, independent of Herald's own client. */
public final class SandboxHttp {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;
    private final String authorization;

    public record Reply(int status, JsonNode json, HttpResponse<String> raw) {
        public JsonNode data() {
            return json.path("response").path("result").path("data");
        }

        public JsonNode requestStatus() {
            return json.path("response").path("request").path("status");
        }

        public String body() {
            return raw.body();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public SandboxHttp(URI base, String publicKey, String privateKey) {
        this.base = base;
        this.authorization = "Basic "
                + Base64.getEncoder().encodeToString((publicKey + ":" + privateKey).getBytes(StandardCharsets.UTF_8));
    }

    public Reply get(String path) {
        return send(request(path).GET(), Duration.ofSeconds(10));
    }

    public Reply delete(String path) {
        return send(request(path).DELETE(), Duration.ofSeconds(10));
    }

    public Reply post(String path, String body) {
        return post(path, body, Duration.ofSeconds(10));
    }

    public Reply post(String path, String body, Duration timeout) {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                timeout);
    }

    /** Sends the posts at once, without waiting for one answer before the next request, and waits for every answer. */
    public java.util.List<Reply> postAll(String path, java.util.List<String> bodies) {
        var sent = bodies.stream()
                .map(body -> client.sendAsync(
                        request(path)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        return sent.stream().map(future -> reply(future.join())).toList();
    }

    public Reply put(String path, String body) {
        return send(
                request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)),
                Duration.ofSeconds(10));
    }

    public Reply withoutCredentials(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), Duration.ofSeconds(10));
    }

    /** A body that is not JSON (an HTML page) leaves {@code json} missing; {@link Reply#body()} has the text. */
    private static Reply reply(HttpResponse<String> response) {
        var body = response.body();
        JsonNode json;
        try {
            json = body.isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(body);
        } catch (IOException e) {
            json = MAPPER.missingNode();
        }
        return new Reply(response.statusCode(), json, response);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", authorization);
    }

    private Reply send(HttpRequest.Builder builder, Duration timeout) {
        try {
            return reply(client.send(builder.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
