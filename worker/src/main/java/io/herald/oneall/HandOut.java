package io.herald.oneall;

import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import java.util.function.LongSupplier;

/**
 * The first of a call's two last checks, where a connection has been handed to it and nothing of it is written yet:
 * Web Client's {@link ClientPhase#SEND_REQUEST}, the phase it runs its interceptors at with the request made
 * ({@link HttpContext#clientRequest()}) before it writes it. A call whose claim grew too old while it waited for a free
 * connection, or whose deadline passed meanwhile, is dropped there unsent; the others are armed with their send-by
 * time for the second check, where their bytes are flushed to the socket ({@link SendDeadline}).
 */
final class HandOut implements Handler<HttpContext<?>> {
    /** What a call held back here fails Web Client's exchange with; its result says why ({@link Exchange#heldBack}). */
    private static final VertxException HELD_BACK = new VertxException("held back at hand-out", true);

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
        var request = context.clientRequest();
        // a failure of the request arrives through the exchange's future; a reset of a late call needs no more telling
        request.exceptionHandler(IGNORED);
        if (exchange.result.isDone() || nanoTime.getAsLong() - exchange.sendByNanos > 0) {
            exchange.holdBack();
            // Web Client resets the request, nothing of it written, and fails the exchange
            context.fail(HELD_BACK);
            return;
        }
        var connection = request.connection();
        exchange.handedOut(request, connection, sendDeadline.arm(connection, exchange.sendByNanos));
        context.next();
    }
}
