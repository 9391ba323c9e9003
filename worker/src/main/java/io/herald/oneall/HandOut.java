package io.herald.oneall;

import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import java.util.function.LongSupplier;

/**
 * Where a call holds its connection before its command is claimed, and the first of its two last checks once it may
 * go. A connection has been handed to it and nothing of it is written yet:
 * Web Client's {@link ClientPhase#SEND_REQUEST}, the phase it runs its interceptors at with the request made
 * ({@link HttpContext#clientRequest()}) before it writes it. The exchange waits there ({@link Exchange#pause}) until
 * the call's command is claimed ({@link Exchange#go}), or is given up unsent ({@link Exchange#abandon}), its request
 * reset and its connection back in the pool. A call whose claim grew too old before it went, or whose deadline passed
 * meanwhile, is dropped there unsent; the others are armed with their send-by
 * time for the second check, where their bytes are flushed to the socket ({@link SendDeadline}).
 */
final class HandOut implements Handler<HttpContext<?>> {
    /** What a call held back here fails Web Client's exchange with; its result says why ({@link Exchange#heldBack}). */
    private static final VertxException HELD_BACK = new VertxException("held back at hand-out", true);

    /** What a call given up before it went fails the exchange with: its command was not claimed. */
    private static final VertxException ABANDONED = new VertxException("given up unsent", true);

    private static final Handler<Throwable> IGNORED = ignored -> {};

    private final LongSupplier nanoTime;
    private final SendDeadline sendDeadline;

    HandOut(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.sendDeadline = new SendDeadline(nanoTime);
    }

    @Override
    public void handle(HttpContext<?> context) {
        if (context.phase() != ClientPhase.SEND_REQUEST
                || !(context.request().bodyCodec() instanceof Exchange exchange)) {
            context.next();
            return;
        }
        // a failure of the request arrives through the exchange's future; a reset of a late call needs no more telling
        context.clientRequest().exceptionHandler(IGNORED);
        // the connection is held: the call waits here, nothing written, until its command is claimed
        exchange.held.complete(null);
        var now = exchange.pause(context, () -> resume(context), () -> drop(context, exchange));
        if (now != null) {
            now.run();
        }
    }

    /** The call may go: it goes unless its claim grew too old meanwhile (or its deadline passed). */
    void resume(HttpContext<?> context) {
        var exchange = (Exchange) context.request().bodyCodec();
        if (exchange.result.isDone() || nanoTime.getAsLong() - exchange.sendByNanos() > 0) {
            exchange.holdBack();
            // Web Client resets the request, nothing of it written, and fails the exchange
            context.fail(HELD_BACK);
            return;
        }
        var request = context.clientRequest();
        var connection = request.connection();
        exchange.handedOut(request, connection, sendDeadline.arm(connection, exchange.sendByNanos()));
        context.next();
    }

    /** The call will not go: its request is reset unwritten, which gives its connection back to the pool. */
    static void drop(HttpContext<?> context, Exchange exchange) {
        exchange.holdBack();
        context.fail(ABANDONED);
    }
}
