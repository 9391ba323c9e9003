package io.herald.oneall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.api.Call;
import io.herald.command.api.CallResult;
import io.herald.observe.BuildInfo;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * OneAll's REST API through Vert.x Web Client: non-blocking, pooled, HTTP Basic with the site's keys, every body
 * wrapped as {@code {"request": ...}}. Only OneAll's envelope counts as an answer ({@link CallResult.NotOneAll}
 * otherwise); a call has a total deadline, not only an idle one. Failures are values, never exceptions, and never
 * carry the keys.
 */
public final class OneAllClient implements OneAll, AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * The most of an answer's body kept as it is read: OneAll's answers are small JSON (a listing page of 500 messages
     * is a few MiB), and each call in flight may be reading one, so the worst case is this times
     * {@code HERALD_MAX_IN_FLIGHT} (docs/oneall.md).
     */
    static final int MAX_BODY = 16 * 1024 * 1024;
    /** What a call that reached its deadline still gets to read an answer that came; see {@link #giveUp}. */
    private static final Duration READ_GRACE = Duration.ofSeconds(1);
    /**
     * The same, once the deadline's timer ran later than {@link #READ_GRACE} after it was due: this process was frozen
     * or starved, and its event loops catch up on what came meanwhile, one loop after another.
     */
    private static final Duration THAWED_READ_GRACE = Duration.ofSeconds(5);
    /** Connections opened a second at most when no pace is given (the command line's reads). */
    public static final int DEFAULT_CONNECT_RATE = 50;

    private static final String TOO_OLD = "its claim grew too old ";

    private final Vertx vertx;
    private final Pools pools;
    private final URI base;
    private final MultiMap headers;
    private final MultiMap bodyHeaders;
    private final Duration timeout;
    private final Clock clock;
    private final HandOut handOut;

    public OneAllClient(
            Vertx vertx, URI base, String publicKey, String privateKey, Duration timeout, int maxConnections) {
        this(vertx, base, publicKey, privateKey, timeout, maxConnections, DEFAULT_CONNECT_RATE, System::nanoTime);
    }

    /** At most {@code maxConnections} to OneAll's host, opened at most {@code connectRate} a second ({@link Lines}). */
    public OneAllClient(
            Vertx vertx,
            URI base,
            String publicKey,
            String privateKey,
            Duration timeout,
            int maxConnections,
            int connectRate) {
        this(vertx, base, publicKey, privateKey, timeout, maxConnections, connectRate, System::nanoTime);
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
        this(vertx, base, publicKey, privateKey, timeout, maxConnections, DEFAULT_CONNECT_RATE, nanoTime);
    }

    private OneAllClient(
            Vertx vertx,
            URI base,
            String publicKey,
            String privateKey,
            Duration timeout,
            int maxConnections,
            int connectRate,
            LongSupplier nanoTime) {
        this.vertx = vertx;
        this.handOut = new HandOut(nanoTime);
        this.base = base;
        this.timeout = timeout;
        this.clock = Clock.systemUTC();
        this.pools = new Pools(vertx, base, timeout, maxConnections, connectRate, handOut);
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
        var exchange = new Exchange(target, MAX_BODY);
        go(exchange, claimedNanos);
        pools.acquire().thenAccept(permit -> start(exchange, call));
        return exchange.result;
    }

    /**
     * Holds a connection for {@code call} before its command is claimed: the request is made and waits, nothing of it
     * written, where the connection is handed to it ({@link HandOut}), with no deadline until the call goes.
     */
    @Override
    public CompletionStage<Line> line(Call call, String target) {
        return pools.acquire().thenCompose(permit -> {
            var exchange = new Exchange(target, MAX_BODY);
            start(exchange, call);
            return exchange.held.thenApply(held -> (Line) new HeldLine(exchange, call));
        });
    }

    /** A connection held for one call. */
    private final class HeldLine implements Line {
        private final Exchange exchange;
        private final Call call;

        HeldLine(Exchange exchange, Call call) {
            this.exchange = exchange;
            this.call = call;
        }

        @Override
        public Call call() {
            return call;
        }

        @Override
        public CompletionStage<CallResult> send(long claimedNanos) {
            go(exchange, claimedNanos);
            return exchange.result;
        }

        @Override
        public void release() {
            exchange.abandon(context -> HandOut.drop(context, exchange));
        }
    }

    /** The call may go: its deadline counts from its claim, and its request is written once its connection is held. */
    private void go(Exchange exchange, long claimedNanos) {
        long dueNanos = claimedNanos + timeout.toNanos();
        exchange.timer(vertx.setTimer(
                Math.max(1, (dueNanos - System.nanoTime()) / 1_000_000), id -> giveUp(exchange, dueNanos)));
        exchange.result.whenComplete((value, error) -> vertx.cancelTimer(exchange.timer()));
        exchange.go(claimedNanos + timeout.toNanos() / 2, handOut::resume);
    }

    /** Makes the call's request on a pool with a free connection; it waits at hand-out until the call may go. */
    private void start(Exchange exchange, Call call) {
        if (exchange.result.isDone()) {
            pools.skip();
            return;
        }
        var body = call.payload() == null ? null : body(call.payload());
        int shard = pools.take();
        exchange.result.whenComplete((value, error) -> {
            pools.giveBack(shard);
            exchange.held.complete(null);
        });
        var request = pools.client(shard)
                .request(HttpMethod.valueOf(call.method()), call.path())
                .putHeaders(body == null ? headers : bodyHeaders)
                .idleTimeout(0)
                .as(exchange);
        (body == null ? request.send() : request.sendBuffer(body))
                .onComplete(answer -> exchange.result.complete(outcome(exchange, answer)));
    }

    private CallResult outcome(Exchange exchange, AsyncResult<HttpResponse<CappedBody.Body>> answer) {
        exchange.disarm();
        if (answer.succeeded()) {
            var response = answer.result();
            return CallResults.read(response, response.body(), clock, exchange.target);
        }
        if (exchange.heldBack()) {
            return new CallResult.NotSent(TOO_OLD + "before a connection was free", true);
        }
        if (exchange.refusedAtTheSocket()) {
            return new CallResult.NotSent(TOO_OLD + "before its bytes left", true);
        }
        return CallResults.failure(answer.cause(), exchange.request() != null);
    }

    /**
     * The call's deadline passed. Its answer may be waiting unread in the socket: after this process was frozen (a GC
     * pause, a stopped container) or its event loop held up, a timer can run before the socket is read, and the timer
     * and the connection need not share an event loop. So the call gets one more second to read what came before it
     * counts as maybe sent; that second stays within the grace other workers give a claim before they count it lost.
     * A timer that ran more than that second late shows a process that was frozen: its loops catch up on all that came
     * meanwhile, one after the other, and the call gets five seconds. Other workers may have counted its claim lost by
     * then; an answer read late still corrects what they recorded (docs/processing.md, unknown outcomes).
     */
    private void giveUp(Exchange exchange, long dueNanos) {
        if (exchange.result.isDone()) {
            return;
        }
        if (dueNanos > 0) {
            var grace = System.nanoTime() - dueNanos > READ_GRACE.toNanos() ? THAWED_READ_GRACE : READ_GRACE;
            exchange.timer(vertx.setTimer(grace.toMillis(), id -> giveUp(exchange, -1)));
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

    private static Buffer body(JsonNode payload) {
        try {
            var root = MAPPER.createObjectNode();
            root.set("request", payload);
            return Buffer.buffer(MAPPER.writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a OneAll request", e);
        }
    }

    public URI base() {
        return base;
    }

    @Override
    public void close() {
        pools.close();
    }
}
