package io.herald.oneall;

import io.herald.command.api.CallResult;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;
import java.util.concurrent.CompletableFuture;

/**
 * One call under way, from its send to its result: its send-by time, the request once a connection has been handed
 * to it, and its deadline's timer. It is also the codec its answer is read with (within {@link #maxBody} bytes, see
 * {@link CappedBody}), because a request's codec is the one object of a call that Web Client hands back to an
 * interceptor ({@code HttpContext.request().bodyCodec()}): so the check where a connection is handed out finds its
 * call without a map from requests to calls.
 */
final class Exchange implements BodyCodec<CappedBody.Body> {
    /** Bytes of a body kept for an excerpt once it went past {@link #maxBody}. */
    static final int EXCERPT = 200;

    final CompletableFuture<CallResult> result = new CompletableFuture<>();
    /** Completes once a connection is held for the call, its request made and nothing of it written (or it failed). */
    final CompletableFuture<Void> held = new CompletableFuture<>();

    final String target;
    private volatile long sendByNanos;
    /** Web Client's exchange, paused where a connection was handed to it, until the call may go. */
    private io.vertx.ext.web.client.impl.HttpContext<?> paused;

    private io.vertx.core.Context pausedOn;
    private boolean go;
    private boolean abandoned;
    private final int maxBody;
    private volatile HttpClientRequest request;
    private volatile HttpConnection connection;
    private volatile SendDeadline.Armed armed;
    private volatile boolean heldBack;
    private volatile long timer;

    Exchange(String target, int maxBody) {
        this.target = target;
        this.maxBody = maxBody;
    }

    @Override
    public BodyStream<CappedBody.Body> stream() {
        return new CappedBody(maxBody, EXCERPT);
    }

    long sendByNanos() {
        return sendByNanos;
    }

    /**
     * A connection was handed to the call's request, nothing of it written: the exchange waits here until the call may
     * go ({@link #go}) or is given up ({@link #abandon}); returns what to do at once, if either came first.
     */
    synchronized Runnable pause(io.vertx.ext.web.client.impl.HttpContext<?> context, Runnable resume, Runnable drop) {
        if (abandoned) {
            return drop;
        }
        if (go) {
            return resume;
        }
        paused = context;
        pausedOn = io.vertx.core.Vertx.currentContext();
        return null;
    }

    /** The call may go, to be sent by {@code sendByNanos}; {@code resume} runs once its connection is held. */
    void go(long sendByNanos, java.util.function.Consumer<io.vertx.ext.web.client.impl.HttpContext<?>> resume) {
        io.vertx.ext.web.client.impl.HttpContext<?> context;
        io.vertx.core.Context on;
        synchronized (this) {
            this.sendByNanos = sendByNanos;
            go = true;
            context = paused;
            on = pausedOn;
            paused = null;
        }
        if (context != null) {
            on.runOnContext(ignored -> resume.accept(context));
        }
    }

    /** The call will not go (its command was not claimed): its connection goes back to the pool, nothing written. */
    void abandon(java.util.function.Consumer<io.vertx.ext.web.client.impl.HttpContext<?>> drop) {
        io.vertx.ext.web.client.impl.HttpContext<?> context;
        io.vertx.core.Context on;
        synchronized (this) {
            if (go) {
                return;
            }
            abandoned = true;
            context = paused;
            on = pausedOn;
            paused = null;
        }
        if (context != null) {
            on.runOnContext(ignored -> drop.accept(context));
        }
    }

    /** A connection was handed out and the call may go: its request, armed on the connection (or not, when null). */
    void handedOut(HttpClientRequest request, HttpConnection connection, SendDeadline.Armed armed) {
        this.connection = connection;
        this.armed = armed;
        this.request = request;
    }

    /** The request, once a connection was handed to it in time; null while the call waits for one, or when held back. */
    HttpClientRequest request() {
        return request;
    }

    /** Its claim had grown too old, or its deadline had passed, by the time a connection was free. */
    void holdBack() {
        heldBack = true;
    }

    boolean heldBack() {
        return heldBack;
    }

    /** Its first flush came after its send-by time: {@link SendDeadline} dropped it with its connection. */
    boolean refusedAtTheSocket() {
        var armed = this.armed;
        return armed != null && armed.refused();
    }

    /** The call is over: its deadline no longer applies to the connection, which may carry the next call. */
    void disarm() {
        SendDeadline.disarm(connection, armed);
    }

    void timer(long id) {
        timer = id;
    }

    long timer() {
        return timer;
    }
}
