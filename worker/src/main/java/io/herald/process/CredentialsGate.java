package io.herald.process;

import io.herald.command.Timer;
import io.herald.command.api.CallResult;
import io.herald.command.api.Requests;
import io.herald.oneall.OneAll;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed while OneAll rejects the site's keys: the worker then stops consuming and reports not
 * ready, instead of dead-lettering its backlog with 401s (docs/processing.md). One ping every 15 s, shared
 * by every held command, opens it again once the keys are accepted.
 */
public final class CredentialsGate {
    private static final Logger log = LoggerFactory.getLogger(CredentialsGate.class);
    private static final Duration PING_INTERVAL = Duration.ofSeconds(15);

    private final AtomicReference<String> rejection = new AtomicReference<>();
    private OneAll client;
    private Timer timer;
    private CompletableFuture<Void> accepted;

    public boolean open() {
        return rejection.get() == null;
    }

    /** Why it is closed, or null. */
    public String reason() {
        return rejection.get();
    }

    void connect(OneAll client, Timer timer) {
        this.client = client;
        this.timer = timer;
    }

    /** A 401: asks {@code /tools/ping.json} whether OneAll rejects the site's keys themselves. */
    CompletionStage<Boolean> siteKeysRejected() {
        return client.send(Requests.ping())
                .thenApply(result -> result instanceof CallResult.Answered answered && answered.httpStatus() == 401);
    }

    /** Closes the gate; completes when OneAll accepts the keys again. */
    synchronized CompletionStage<Void> closeUntilAccepted() {
        if (rejection.compareAndSet(null, "OneAll rejects the site's keys (ONEALL_PUBLIC_KEY / ONEALL_PRIVATE_KEY)")) {
            log.error(
                    "OneAll rejects the site's keys (GET /tools/ping.json answered 401): consumption stops until they are"
                            + " accepted; check ONEALL_PUBLIC_KEY and ONEALL_PRIVATE_KEY");
        }
        if (accepted == null || accepted.isDone()) {
            accepted = new CompletableFuture<>();
            pingUntilAccepted(accepted);
        }
        return accepted;
    }

    private void pingUntilAccepted(CompletableFuture<Void> done) {
        var wait = new CompletableFuture<Void>();
        timer.schedule(PING_INTERVAL, () -> wait.complete(null));
        wait.thenCompose(ignored -> siteKeysRejected()).whenComplete((rejected, error) -> {
            if (error != null || rejected) {
                pingUntilAccepted(done);
                return;
            }
            log.info("OneAll accepts the site's keys again; consumption resumes");
            rejection.set(null);
            done.complete(null);
        });
    }
}
