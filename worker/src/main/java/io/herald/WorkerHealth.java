package io.herald;

import io.herald.consume.Worker;
import io.herald.observe.HealthServer;
import io.herald.observe.Metrics;
import io.herald.process.CredentialsGate;
import io.herald.store.LedgerWriter;
import io.vertx.core.Vertx;

/**
 * What {@code /health/live} and {@code /health/ready} say about a worker, from the moment its process runs, and the
 * server that says it. While the worker starts it is live (a long migration is work, not a hung process, and must not
 * get it restarted) and not ready, with its start-up stage as the reason. Once its poll loop runs, live follows the
 * poll loop, and ready also needs OneAll to accept the site's keys, the database, ledger writes that do not wait, and
 * an assignment from the consumer group.
 */
final class WorkerHealth implements AutoCloseable {
    /** The parts a running worker's health depends on. */
    record Running(Worker worker, CredentialsGate siteKeys, Housekeeping housekeeping, LedgerWriter ledger) {}

    private final Startup startup;
    private final Metrics metrics;
    private final HealthServer server;
    private volatile Running running;

    /** Listens on {@code port} at once, before any other part of the worker exists. */
    WorkerHealth(Startup startup, Vertx vertx, int port, Metrics metrics) {
        this.startup = startup;
        this.metrics = metrics;
        this.server = HealthServer.start(vertx, port, metrics, this::notReadyReason, this::live);
        metrics.gauge(
                "herald_ready",
                "1 while the worker is ready (see /health/ready)",
                () -> notReadyReason() == null ? 1 : 0);
    }

    /** The poll loop runs: from now on health is the running worker's. */
    void running(Running parts) {
        metrics.gauge(
                "herald_credentials_rejected",
                "1 while OneAll rejects the site's keys (the worker is paused)",
                () -> parts.siteKeys().open() ? 0 : 1);
        this.running = parts;
    }

    boolean live() {
        var parts = running;
        return parts == null || parts.worker().alive();
    }

    /** Why the worker is not ready, or null when it is. */
    String notReadyReason() {
        var parts = running;
        if (parts == null) {
            return "starting: " + startup.stage();
        }
        if (!parts.worker().alive()) {
            return "the poll loop is not running";
        }
        if (!parts.siteKeys().open()) {
            return parts.siteKeys().reason();
        }
        boolean databaseReachable = parts.housekeeping().databaseReachable();
        if (!databaseReachable || !parts.ledger().healthy()) {
            return databaseReachable ? "ledger writes have waited for more than 30 s" : "the database is out of reach";
        }
        if (!parts.worker().assigned()) {
            return "the consumer has no assignment yet";
        }
        return null;
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
