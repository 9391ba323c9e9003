package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.api.Call;
import io.herald.command.api.CallResult;
import io.herald.config.HeraldConfig;
import io.herald.config.Setting.Need;
import io.herald.oneall.OneAllClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The OneAll site of ONEALL_* for a subcommand: calls waited for, a few at a time, and what an answer that is no success means. */
final class OneAllSession implements AutoCloseable {
    /** Reads made together: enough to be quick, few enough not to be throttled. */
    private static final int CONCURRENT = 8;

    private final Vertx vertx;
    private final OneAllClient client;
    private final long waitMillis;

    private OneAllSession(HeraldConfig.OneAll settings) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.client = new OneAllClient(
                vertx,
                settings.apiUrl(),
                settings.publicKey(),
                settings.privateKey().value(),
                settings.timeout(),
                CONCURRENT);
        this.waitMillis = settings.timeout().toMillis() + 5_000;
    }

    /** A session with the site; a configuration error naming each ONEALL_* variable that is missing. */
    static OneAllSession open(HeraldConfig config) {
        config.require(Need.ONEALL);
        return new OneAllSession(config.oneall());
    }

    CallResult call(Call call) {
        return all(List.of(call)).get(0);
    }

    /** The calls' results, in order; at most {@value #CONCURRENT} are under way at once. */
    List<CallResult> all(List<Call> calls) {
        var results = new ArrayList<CallResult>(calls.size());
        for (int from = 0; from < calls.size(); from += CONCURRENT) {
            var batch = calls.subList(from, Math.min(calls.size(), from + CONCURRENT)).stream()
                    .map(call -> client.send(call).toCompletableFuture())
                    .toList();
            try {
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for OneAll", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("OneAll did not answer: " + e, e);
            }
            batch.forEach(result -> results.add(result.join()));
        }
        return results;
    }

    /** The answer's {@code result.data} when OneAll answered 200; otherwise an error saying what it answered to {@code what}. */
    JsonNode data(Call call, String what) {
        var result = call(call);
        if (result instanceof CallResult.Answered answered
                && answered.httpStatus() == 200
                && !"error".equals(answered.flag())) {
            return answered.data();
        }
        throw new IllegalStateException(what + " failed: " + describe(call, result));
    }

    /** What a call that is no success came to, for people; never the keys. */
    static String describe(Call call, CallResult result) {
        var request = call.method() + " " + call.path();
        if (result instanceof CallResult.Answered answered) {
            if (answered.httpStatus() == 401) {
                return "OneAll rejects the site's keys (ONEALL_PUBLIC_KEY / ONEALL_PRIVATE_KEY): " + request
                        + " answered HTTP 401";
            }
            return request + " answered HTTP " + answered.httpStatus()
                    + (answered.info() == null ? "" : ": " + answered.info());
        } else if (result instanceof CallResult.NotOneAll other) {
            return request + " answered HTTP " + other.httpStatus()
                    + " without OneAll's envelope (is ONEALL_API_URL the site's API?)";
        } else if (result instanceof CallResult.NotSent notSent) {
            return request + " could not be sent: " + notSent.reason();
        }
        return request + " got no answer: " + ((CallResult.MaybeSent) result).reason();
    }

    @Override
    public void close() {
        client.close();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the process ends anyway
        }
    }
}
