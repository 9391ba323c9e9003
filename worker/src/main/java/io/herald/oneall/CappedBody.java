package io.herald.oneall;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * An answer's body as Web Client hands it over, kept whole up to a limit. Past the limit only its first bytes are kept,
 * for the excerpt of what is then not OneAll's answer, and the rest is read and dropped: a huge or endless body costs
 * no more memory than the limit, and the call ends as it would have with the body buffered whole.
 */
final class CappedBody implements BodyStream<CappedBody.Body> {
    /** The bytes kept; {@code whole} false when the body went past the limit and only its head is here. */
    record Body(Buffer bytes, boolean whole) {}

    private final int limit;
    private final int head;
    private final Promise<Body> result = Promise.promise();
    private Buffer kept = Buffer.buffer();
    private boolean whole = true;

    CappedBody(int limit, int head) {
        this.limit = limit;
        this.head = head;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (whole) {
            if (kept.length() + data.length() <= limit) {
                kept.appendBuffer(data);
            } else {
                var first = Buffer.buffer(head).appendBuffer(kept, 0, Math.min(kept.length(), head));
                first.appendBuffer(data, 0, Math.min(data.length(), head - first.length()));
                kept = first;
                whole = false;
            }
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
        return result.tryComplete(new Body(kept, whole))
                ? Future.succeededFuture()
                : Future.failedFuture("the answer's body had already ended");
    }

    /** The body failed midway (the connection lost, the call reset): Web Client fails the call with it. */
    @Override
    public void handle(Throwable cause) {
        result.tryFail(cause);
    }

    @Override
    public Future<Body> result() {
        return result.future();
    }

    @Override
    public CappedBody exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public CappedBody setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public CappedBody drainHandler(Handler<Void> handler) {
        return this;
    }
}
