package io.herald.oneall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.CallResult;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * OneAll's REST API through the Vert.x Web Client: non-blocking, pooled, HTTP Basic with the site's
 * keys, every body wrapped as {@code {"request": ...}}, every answer read from OneAll's envelope.
 * Failures come back as values ({@link CallResult}), never as exceptions, and never carry the keys.
 */
public final class OneAllClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WebClient client;
    private final String authorization;
    private final Duration timeout;

    public OneAllClient(Vertx vertx, URI baseUri, String publicKey, String privateKey, Duration timeout, int maxConnections) {
        boolean tls = "https".equals(baseUri.getScheme());
        var options = new WebClientOptions()
                .setDefaultHost(baseUri.getHost())
                .setDefaultPort(baseUri.getPort() > 0 ? baseUri.getPort() : tls ? 443 : 80)
                .setSsl(tls)
                .setVerifyHost(true)
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 15_000))
                .setUserAgent("Herald (+https://github.com/herald)")
                .setFollowRedirects(false);
        this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(maxConnections)
                .setMaxWaitQueueSize(-1));
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (publicKey + ":" + privateKey).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    public CompletionStage<CallResult> send(OneAllRequest request) {
        var future = new CompletableFuture<CallResult>();
        var http = client.request(HttpMethod.valueOf(request.method()), request.path())
                .putHeader("Authorization", authorization)
                .putHeader("Accept", "application/json")
                .timeout(timeout.toMillis());
        var sent = request.payload() == null ? http.send() : http.putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body(request.payload())));
        sent.onComplete(result -> future.complete(result.succeeded() ? read(result.result()) : failure(result.cause())));
        return future;
    }

    private static byte[] body(JsonNode payload) {
        try {
            var root = MAPPER.createObjectNode();
            root.set("request", payload);
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a OneAll request", e);
        }
    }

    static CallResult read(HttpResponse<Buffer> response) {
        JsonNode envelope = null;
        var body = response.body();
        if (body != null && body.length() > 0) {
            try {
                envelope = MAPPER.readTree(body.getBytes());
            } catch (IOException e) {
                envelope = null;
            }
        }
        var status = envelope == null ? null : envelope.path("response").path("request").path("status");
        var data = envelope == null ? null : envelope.path("response").path("result").path("data");
        return new CallResult.Answered(response.statusCode(),
                status == null || status.isMissingNode() ? null : status.path("flag").asText(null),
                status == null || status.isMissingNode() ? null : status.path("info").asText(null),
                data == null || data.isMissingNode() ? null : data,
                retryAfter(response.getHeader("Retry-After")));
    }

    static Optional<Duration> retryAfter(String header) {
        if (header == null || !header.trim().matches("\\d{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
    }

    /** Only a failure to connect proves the request was not sent; anything later may have reached OneAll. */
    static CallResult failure(Throwable cause) {
        var message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
                || cause instanceof UnknownHostException
                || (cause.getCause() != null && cause.getCause() instanceof ConnectException)) {
            return new CallResult.NotSent(message);
        }
        return new CallResult.MaybeSent(message);
    }

    @Override
    public void close() {
        client.close();
    }
}
