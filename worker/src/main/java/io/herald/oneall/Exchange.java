package io.herald.oneall;

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
    final long sendByNanos;
    final String target;
    private final int maxBody;
    private volatile HttpClientRequest request;
    private volatile HttpConnection connection;
    private volatile SendDeadline.Armed armed;
    private volatile boolean heldBack;
    private volatile long timer;

    Exchange(long sendByNanos, String target, int maxBody) {
        this.sendByNanos = sendByNanos;
        this.target = target;
        this.maxBody = maxBody;
    }

    @Override
    public BodyStream<CappedBody.Body> stream() {
        return new CappedBody(maxBody, EXCERPT);
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
