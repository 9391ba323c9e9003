package io.herald.oneall;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last moment a request may leave this worker, checked where its bytes are flushed to the socket. A call's claim
 * is counted lost by other workers once it is old enough, so a request must be on the wire well before then; checking
 * when a connection is handed out is not enough, because a worker frozen (SIGSTOP, a stopped container, a long pause)
 * between that check and the write would send it after another worker had moved on: the account's next command first,
 * then this one. Here the check sits at the head of the connection's pipeline, next to the socket (below TLS), so only
 * Netty's own flush of the bytes lies between it and the wire; a request refused here is dropped with its connection,
 * unsent.
 */
@ChannelHandler.Sharable
final class SendDeadline extends ChannelOutboundHandlerAdapter {
    private static final String NAME = "herald-send-deadline";
    private static final AttributeKey<Armed> ARMED = AttributeKey.valueOf(NAME);
    private static final Logger log = LoggerFactory.getLogger(SendDeadline.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** One request's deadline on its connection: refused when its first flush came too late, else let go. */
    static final class Armed {
        private final long sendByNanos;
        private volatile boolean refused;
        private boolean flushed;

        private Armed(long sendByNanos) {
            this.sendByNanos = sendByNanos;
        }

        boolean refused() {
            return refused;
        }
    }

    private final LongSupplier nanoTime;

    SendDeadline(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Arms the connection for the request about to be written on it (HTTP/1.1: one at a time), putting the check into
     * its pipeline on first use. Null when the connection is not one whose socket can be reached (then the check at
     * hand-out is all there is).
     */
    Armed arm(HttpConnection connection, long sendByNanos) {
        if (!(connection instanceof io.vertx.core.http.impl.HttpClientConnection internal)) {
            if (WARNED.compareAndSet(false, true)) {
                log.warn(
                        "the HTTP client's connections ({}) give no access to their socket; a call's deadline is only"
                                + " checked when its connection is handed out",
                        connection == null ? null : connection.getClass().getName());
            }
            return null;
        }
        var channel = internal.channelHandlerContext().channel();
        if (channel.pipeline().get(NAME) == null) {
            channel.pipeline().addFirst(NAME, this);
        }
        var armed = new Armed(sendByNanos);
        channel.attr(ARMED).set(armed);
        return armed;
    }

    /** The request's answer came (or it failed): its deadline no longer applies to the connection. */
    static void disarm(HttpConnection connection, Armed armed) {
        if (armed != null && connection instanceof io.vertx.core.http.impl.HttpClientConnection internal) {
            internal.channelHandlerContext().channel().attr(ARMED).compareAndSet(armed, null);
        }
    }

    @Override
    public void flush(ChannelHandlerContext context) {
        var armed = context.channel().attr(ARMED).get();
        if (armed != null && !armed.flushed) {
            if (nanoTime.getAsLong() - armed.sendByNanos > 0) {
                armed.refused = true;
                // what was written and not flushed is failed with the connection, never sent
                context.close();
                return;
            }
            // once bytes of the request are on the wire it goes on: a later flush of it is never refused
            armed.flushed = true;
        }
        context.flush();
    }
}
