package io.herald.observe;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@code /health/live}, {@code /health/ready} (503 with the reason when not) and {@code /metrics} on {@code HERALD_HTTP_PORT}. */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    /** Why the worker is not ready, or null when it is. */
    public interface Readiness extends Supplier<String> {}

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /**
     * {@code /health/live} answers 503 once {@code live} is false (the poll loop died or hangs), so an orchestrator
     * restarts the worker; {@code /health/ready} answers 503 with the reason while the worker should get no traffic.
     */
    public static HealthServer start(
            Vertx vertx, int port, Metrics metrics, Readiness readiness, java.util.function.BooleanSupplier live) {
        try {
            var server = vertx.createHttpServer()
                    .requestHandler(request -> {
                        var response = request.response();
                        switch (request.path()) {
                            case "/health/live" -> {
                                boolean alive = live.getAsBoolean();
                                response.setStatusCode(alive ? 200 : 503)
                                        .putHeader("Content-Type", "text/plain")
                                        .end(alive ? "live\n" : "not live: the poll loop is not running\n");
                            }
                            case "/health/ready" -> {
                                var reason = readiness.get();
                                response.setStatusCode(reason == null ? 200 : 503)
                                        .putHeader("Content-Type", "text/plain")
                                        .end(reason == null ? "ready\n" : "not ready: " + reason + "\n");
                            }
                            case "/metrics" ->
                                response.putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                        .end(metrics.render());
                            default -> response.setStatusCode(404).end();
                        }
                    })
                    .listen(port)
                    .await(10, TimeUnit.SECONDS);
            return new HealthServer(server);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on HERALD_HTTP_PORT " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            server.close().await(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
