package io.herald.oneall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.observe.BuildInfo;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseHead;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * OneAll's REST API through Vert.x Web Client: non-blocking, pooled, HTTP Basic with the site's keys, every body
 * wrapped as {@code {"request": ...}}. Only OneAll's envelope counts as an answer ({@link CallResult.NotOneAll}
 * otherwise); a call has a total deadline, not only an idle one. Failures are values, never exceptions, and never
 * carry the keys.
 */
public final class OneAllClient implements OneAll, AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024 * 1024;
    /** What a call that reached its deadline still gets to read an answer that came; see {@link #giveUp}. */
    private static final Duration READ_GRACE = Duration.ofSeconds(1);
    /**
     * Connections per pool. Vert.x's HTTP/1 pool scans all its connections for each request, so a pool of a thousand
     * costs more than the call itself; several small pools, the less busy of two picked at random, cost almost nothing.
     */
    private static final int POOL_SHARD = 32;

    private static final String TOO_OLD = "its claim grew too old ";
    /** Web Client's own: no User-Agent of its own (ours is in {@link #headers}), no redirect followed, as before it. */
    private static final WebClientOptions WEB =
            new WebClientOptions().setUserAgentEnabled(false).setFollowRedirects(false);

    private final Vertx vertx;
    private final WebClient[] clients;
    private final AtomicInteger[] busy;
    private final URI base;
    private final MultiMap headers;
    private final MultiMap bodyHeaders;
    private final Duration timeout;
    private final Clock clock;
    private final HandOut handOut;

    public OneAllClient(
            Vertx vertx, URI base, String publicKey, String privateKey, Duration timeout, int maxConnections) {
        this(vertx, base, publicKey, privateKey, timeout, maxConnections, System::nanoTime);
    }

    /** With the clock a call's send deadline is checked by (a test's, which can jump as a frozen process's does). */
    OneAllClient(
            Vertx vertx,
            URI base,
            String publicKey,
            String privateKey,
            Duration timeout,
            int maxConnections,
            LongSupplier nanoTime) {
        this.vertx = vertx;
        this.handOut = new HandOut(nanoTime);
        this.base = base;
        this.timeout = timeout;
        this.clock = Clock.systemUTC();
        boolean tls = "https".equals(base.getScheme());
        var options = new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : tls ? 443 : 80)
                .setSsl(tls)
                .setVerifyHost(true)
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 15_000));
        int shards = Math.max(1, (maxConnections + POOL_SHARD - 1) / POOL_SHARD);
        this.clients = new WebClient[shards];
        this.busy = new AtomicInteger[shards];
        for (int i = 0; i < shards; i++) {
            int size = maxConnections / shards + (i < maxConnections % shards ? 1 : 0);
            var pool = vertx.createHttpClient(
                    options,
                    new PoolOptions().setHttp1MaxSize(Math.max(1, size)).setMaxWaitQueueSize(-1));
            clients[i] = WebClient.wrap(pool, WEB).addInterceptor(handOut);
            busy[i] = new AtomicInteger();
        }
        var authorization = "Basic "
                + Base64.getEncoder().encodeToString((publicKey + ":" + privateKey).getBytes(StandardCharsets.UTF_8));
        this.headers = MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaders.AUTHORIZATION, authorization)
                .add(HttpHeaders.ACCEPT, "application/json")
                .add(HttpHeaders.USER_AGENT, "Herald/" + BuildInfo.current().version());
        this.bodyHeaders =
                MultiMap.caseInsensitiveMultiMap().addAll(headers).add(HttpHeaders.CONTENT_TYPE, "application/json");
    }

    /**
     * Makes the call, its deadline counted from its claim: another worker counts a claim lost once the timeout (and a
     * grace) has passed, so this call must be over by then. A call whose claim has grown too old by the time a connection
     * is free, or by the time its bytes are flushed to the socket (a worker that froze in between, say), is not sent at
     * all: see {@link HandOut} and {@link SendDeadline}.
     */
    @Override
    public CompletionStage<CallResult> send(Call call, long claimedNanos) {
        return send(call, claimedNanos, null);
    }

    /** As {@link #send(Call, long)}; other users' publications are skipped as the answer is read, never built. */
    @Override
    public CompletionStage<CallResult> send(Call call, long claimedNanos, String target) {
        var exchange = new Exchange(claimedNanos + timeout.toNanos() / 2, target, MAX_BODY);
        var body = call.payload() == null ? null : body(call.payload());
        long dueNanos = claimedNanos + timeout.toNanos();
        exchange.timer(vertx.setTimer(
                Math.max(1, (dueNanos - System.nanoTime()) / 1_000_000), id -> giveUp(exchange, dueNanos)));
        int shard = shard();
        busy[shard].incrementAndGet();
        exchange.result.whenComplete((value, error) -> busy[shard].decrementAndGet());
        var request = clients[shard]
                .request(HttpMethod.valueOf(call.method()), call.path())
                .putHeaders(body == null ? headers : bodyHeaders)
                .idleTimeout(0)
                .as(exchange);
        (body == null ? request.send() : request.sendBuffer(body))
                .onComplete(answer -> exchange.result.complete(outcome(exchange, answer)));
        return exchange.result.whenComplete((value, error) -> vertx.cancelTimer(exchange.timer()));
    }

    private CallResult outcome(Exchange exchange, AsyncResult<HttpResponse<CappedBody.Body>> answer) {
        exchange.disarm();
        if (answer.succeeded()) {
            var response = answer.result();
            return read(response, response.body(), clock, exchange.target);
        }
        if (exchange.heldBack()) {
            return new CallResult.NotSent(TOO_OLD + "before a connection was free", true);
        }
        if (exchange.refusedAtTheSocket()) {
            return new CallResult.NotSent(TOO_OLD + "before its bytes left", true);
        }
        return failure(answer.cause(), exchange.request() != null);
    }

    /**
     * The call's deadline passed. Its answer may be waiting unread in the socket: after this process was frozen (a GC
     * pause, a stopped container) or its event loop held up, a timer can run before the socket is read. So the call
     * gets one more second to read what came before it counts as maybe sent; that second stays within the grace other
     * workers give a claim before they count it lost.
     */
    private void giveUp(Exchange exchange, long dueNanos) {
        if (exchange.result.isDone()) {
            return;
        }
        if (dueNanos > 0) {
            exchange.timer(vertx.setTimer(READ_GRACE.toMillis(), id -> giveUp(exchange, -1)));
            return;
        }
        var request = exchange.request();
        if (exchange.result.complete(
                        request != null
                                ? new CallResult.MaybeSent("no answer within " + timeout.toMillis() + " ms")
                                : new CallResult.NotSent("no connection within " + timeout.toMillis() + " ms"))
                && request != null) {
            request.reset();
        }
    }

    /** The less busy of two pools picked at random, which keeps them evenly loaded without a scan of all. */
    private int shard() {
        if (clients.length == 1) {
            return 0;
        }
        var random = ThreadLocalRandom.current();
        int a = random.nextInt(clients.length);
        int b = random.nextInt(clients.length);
        return busy[a].get() <= busy[b].get() ? a : b;
    }

    private static Buffer body(JsonNode payload) {
        try {
            var root = MAPPER.createObjectNode();
            root.set("request", payload);
            return Buffer.buffer(MAPPER.writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a OneAll request", e);
        }
    }

    /**
     * OneAll's envelope, read and sanitised; anything else is {@link CallResult.NotOneAll}, a body past {@link #MAX_BODY}
     * among them (of which only its head was kept).
     */
    static CallResult read(HttpResponseHead response, CappedBody.Body body, Clock clock, String target) {
        var retryAfter = RetryAfter.parse(response.getHeader("Retry-After"), clock);
        var bytes = body == null ? new byte[0] : body.bytes().getBytes();
        JsonNode envelope = null;
        if (bytes.length > 0 && body.whole()) {
            try {
                envelope = EnvelopeReader.read(bytes, target);
            } catch (IOException e) {
                envelope = null;
            }
        }
        var status = envelope == null
                ? null
                : envelope.path("response").path("request").path("status");
        if (status == null || !status.isObject()) {
            var excerpt = Sanitizer.clean(
                            new String(bytes, 0, Math.min(bytes.length, Exchange.EXCERPT), StandardCharsets.UTF_8))
                    .replaceAll("\\s+", " ");
            return new CallResult.NotOneAll(
                    response.statusCode(), response.getHeader("Content-Type"), excerpt, retryAfter);
        }
        var data = envelope.path("response").path("result").path("data");
        var clean = data.isMissingNode() || data.isNull() ? null : Sanitizer.clean(data);
        return new CallResult.Answered(
                response.statusCode(),
                Sanitizer.clean(status.path("flag").asText(null)),
                Sanitizer.clean(status.path("info").asText(null)),
                clean,
                retryAfter,
                clean == data ? null : bytes);
    }

    /** Only a failure to connect proves the request was not sent; anything later may have reached OneAll. */
    static CallResult failure(Throwable cause, boolean sent) {
        var message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        boolean connectFailure = cause instanceof ConnectException
                || cause instanceof ConnectTimeoutException
                || cause instanceof UnknownHostException
                || cause.getCause() instanceof ConnectException;
        return !sent || connectFailure ? new CallResult.NotSent(message) : new CallResult.MaybeSent(message);
    }

    public URI base() {
        return base;
    }

    @Override
    public void close() {
        for (var client : clients) {
            client.close();
        }
    }
}
