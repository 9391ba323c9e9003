package io.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.sandbox.OneAllSandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What the sandbox holds, read through its API with a plain JDK client (not Herald's reader, so that a
 * mistake in Herald's reading cannot hide one in its writing): a message's publications as OneAll lists them.
 */
public final class SandboxMessages {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One publication of a message: provider, user, status code (200 for a success). */
    public record Listed(String provider, String userToken, boolean succeeded, int code) {}

    private final OneAllSandbox sandbox;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public SandboxMessages(OneAllSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** Every publication of the message, oldest first. */
    public List<Listed> publications(String messageToken) {
        var entries = read(messageToken).path("publications");
        var list = entries.isArray() ? entries : entries.path("entries");
        var publications = new ArrayList<Listed>();
        list.forEach(entry -> publications.add(new Listed(
                entry.path("provider").asText(),
                entry.path("user_token").asText(null),
                "success".equals(entry.path("status").path("flag").asText()),
                entry.path("status").path("code").asInt())));
        return publications;
    }

    /** The successful publications of the message for one user and provider. */
    public long successes(String messageToken, String userToken, String provider) {
        return publications(messageToken).stream()
                .filter(p -> p.succeeded() && provider.equals(p.provider()) && userToken.equals(p.userToken()))
                .count();
    }

    private JsonNode read(String messageToken) {
        var authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (sandbox.publicKey() + ":" + sandbox.privateKey()).getBytes(StandardCharsets.UTF_8));
        var request = HttpRequest.newBuilder(
                        URI.create(sandbox.baseUri() + "/sharing/messages/" + messageToken + ".json"))
                .header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            var response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "the sandbox answered " + response.statusCode() + " for message " + messageToken);
            }
            return MAPPER.readTree(response.body())
                    .path("response")
                    .path("result")
                    .path("data")
                    .path("sharing_message");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Publishes {@code count} short messages for a user straight through the sandbox's API (not through Herald), a
     * few at a time: the other activity of a busy site. Fails unless every one is answered 200.
     */
    public void publishMany(String userToken, int count) {
        var authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (sandbox.publicKey() + ":" + sandbox.privateKey()).getBytes(StandardCharsets.UTF_8));
        var pending = new ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < count; i++) {
            var body = MAPPER.createObjectNode();
            var message = body.putObject("request").putObject("sharing_message");
            message.putObject("parts").putObject("text").put("body", "Busy site, message " + i);
            message.putObject("publish_for_user")
                    .put("user_token", userToken)
                    .putArray("providers")
                    .add("facebook");
            var request = HttpRequest.newBuilder(URI.create(sandbox.baseUri() + "/sharing/messages.json"))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            if (pending.size() == 16 || i == count - 1) {
                for (var answer : pending) {
                    int status = answer.join().statusCode();
                    if (status != 200) {
                        throw new IllegalStateException("the sandbox answered " + status + " to a publish");
                    }
                }
                pending.clear();
            }
        }
    }
}
