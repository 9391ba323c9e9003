package io.herald.oneall;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.api.CallResult;
import io.herald.command.api.Requests;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker frozen (a long GC pause, SIGSTOP, a stopped container) while the answer to its call came: the answer waits
 * unread in the socket and the call's deadline passes. A call's connection is held from one thread (the consumer's,
 * say) and its deadline set from another (the ledger writer's results), so the connection and the deadline's timer
 * may sit on different event loops, which wake one after the other when the process thaws. The call reads its answer
 * and is not counted maybe sent for want of reading it (in one run of the guarantee suite's zombie, ten commands
 * OneAll had carried out ended dead-lettered as unknown outcomes, the thawed worker having given them up).
 */
@Timeout(60)
class FrozenWorkerAnswersTest {
    private static final String SUCCESS =
            "{\"response\":{\"request\":{\"status\":{\"flag\":\"success\",\"code\":200}}}}";
    private final Vertx oneAll = Vertx.vertx();
    private final Vertx worker = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    @AfterEach
    void stop() throws Exception {
        worker.close().await(10, TimeUnit.SECONDS);
        oneAll.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void a_thawed_worker_reads_the_answer_that_came_while_it_was_frozen_though_its_deadline_passed() throws Exception {
        var connections = ((VertxInternal) worker).createEventLoopContext();
        var deadlines = ((VertxInternal) worker).createEventLoopContext();
        assertThat(deadlines.nettyEventLoop())
                .as("two loops, one for the connection, one for the deadline")
                .isNotSameAs(connections.nettyEventLoop());
        var freeze = new AtomicBoolean();
        var server = oneAll.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    if (freeze.get()) {
                        // the worker freezes as the request arrives; the deadline's loop wakes 2 s after the deadline,
                        // the connection's 1.5 s later
                        var stopped = new CountDownLatch(2);
                        stop(deadlines, 4_000, stopped);
                        stop(connections, 5_500, stopped);
                        await(stopped);
                    }
                    // answered while the worker is frozen: the answer waits in its socket
                    answer(request);
                }))
                .listen(0)
                .await(10, TimeUnit.SECONDS);
        try (var client = new OneAllClient(
                worker,
                URI.create("http://127.0.0.1:" + server.actualPort()),
                "public",
                "private",
                Duration.ofSeconds(2),
                1)) {
            assertThat(call(client, connections, deadlines))
                    .as("the call that opens the connection")
                    .isInstanceOf(CallResult.Answered.class);
            freeze.set(true);

            assertThat(call(client, connections, deadlines)).isInstanceOf(CallResult.Answered.class);
        } finally {
            server.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** A call as a worker makes it: its connection held on one loop, sent (its deadline set) from the other. */
    private static CallResult call(OneAllClient client, ContextInternal connections, ContextInternal deadlines)
            throws Exception {
        var line = on(connections, () -> client.line(Requests.ping(), null)).get(10, TimeUnit.SECONDS);
        return on(deadlines, () -> line.send(System.nanoTime())).get(30, TimeUnit.SECONDS);
    }

    private static <T> CompletableFuture<T> on(ContextInternal context, Supplier<CompletionStage<T>> action) {
        var result = new CompletableFuture<T>();
        context.runOnContext(ignored -> action.get().whenComplete((value, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        }));
        return result;
    }

    private static void stop(ContextInternal context, long millis, CountDownLatch stopped) {
        context.nettyEventLoop().execute(() -> {
            stopped.countDown();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpServerRequest request) {
        request.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "application/json")
                .end(SUCCESS);
    }
}
