package io.herald.oneall;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections to OneAll's host: at most {@code maxConnections} in all, HTTP/1.1 kept alive and never pipelined,
 * in several small Vert.x pools, and calls let onto them at the pace of {@link Lines}. Vert.x's HTTP/1 pool scans all
 * its connections for each request, so a pool of a thousand costs more than the call itself; several small pools, the
 * less busy of two picked at random, cost almost nothing.
 */
final class Pools {
    /** Connections per pool. */
    private static final int POOL_SHARD = 32;
    /** Web Client's own: no User-Agent of its own (ours is in the client's headers), no redirect followed. */
    private static final WebClientOptions WEB =
            new WebClientOptions().setUserAgentEnabled(false).setFollowRedirects(false);

    private final WebClient[] clients;
    private final AtomicInteger[] busy;
    private final int[] sizes;
    private final Lines lines;

    Pools(Vertx vertx, URI base, Duration timeout, int maxConnections, int connectRate, HandOut handOut) {
        this.lines = new Lines(vertx, maxConnections, connectRate);
        boolean tls = "https".equals(base.getScheme());
        var options = new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : tls ? 443 : 80)
                .setSsl(tls)
                .setVerifyHost(true)
                .setKeepAlive(true)
                .setPipelining(false)
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 15_000));
        int shards = Math.max(1, (maxConnections + POOL_SHARD - 1) / POOL_SHARD);
        this.clients = new WebClient[shards];
        this.busy = new AtomicInteger[shards];
        this.sizes = new int[shards];
        for (int i = 0; i < shards; i++) {
            int size = Math.max(1, maxConnections / shards + (i < maxConnections % shards ? 1 : 0));
            sizes[i] = size;
            var pool = vertx.createHttpClient(
                    options, new PoolOptions().setHttp1MaxSize(size).setMaxWaitQueueSize(-1));
            clients[i] = WebClient.wrap(pool, WEB).addInterceptor(handOut);
            busy[i] = new AtomicInteger();
        }
    }

    /** Completes once a call may hold a connection ({@link Lines}). */
    CompletionStage<Void> acquire() {
        return lines.acquire();
    }

    /**
     * The pool the call's request goes to: the less busy of two picked at random, else the first with a free
     * connection, so that a call never waits on a full pool while another has room.
     */
    int take() {
        int pick = 0;
        if (clients.length > 1) {
            var random = ThreadLocalRandom.current();
            int a = random.nextInt(clients.length);
            int b = random.nextInt(clients.length);
            pick = busy[a].get() <= busy[b].get() ? a : b;
            for (int i = 0; i < clients.length && busy[pick].get() >= sizes[pick]; i++) {
                pick = (pick + 1) % clients.length;
            }
        }
        busy[pick].incrementAndGet();
        return pick;
    }

    WebClient client(int pool) {
        return clients[pool];
    }

    /** The call's request on {@code pool} is over. */
    void giveBack(int pool) {
        busy[pool].decrementAndGet();
        lines.release();
    }

    /** A call let through that made no request after all. */
    void skip() {
        lines.release();
    }

    void close() {
        lines.close();
        for (var client : clients) {
            client.close();
        }
    }
}
