package io.herald.dev;

import io.herald.WorkerApp;
import io.herald.config.HeraldConfig;
import java.time.Duration;
import java.util.Map;

/** A worker of dev mode: the embedded infrastructure for whatever {@code environment} leaves unset, then a worker on it. */
final class DevWorker implements AutoCloseable {
    private final DevInfrastructure infrastructure;
    private final WorkerApp worker;

    private DevWorker(DevInfrastructure infrastructure, WorkerApp worker) {
        this.infrastructure = infrastructure;
        this.worker = worker;
    }

    static DevWorker start(Map<String, String> environment) {
        return start(environment, null);
    }

    /** {@code directory}: where the embedded servers keep their data (null: a new temporary directory). */
    static DevWorker start(Map<String, String> environment, java.nio.file.Path directory) {
        var infrastructure = DevInfrastructure.startFor(HeraldConfig.from(environment), directory);
        try {
            return new DevWorker(infrastructure, WorkerApp.start(infrastructure.effectiveConfig()));
        } catch (RuntimeException e) {
            infrastructure.close();
            throw e;
        }
    }

    WorkerApp worker() {
        return worker;
    }

    DevInfrastructure infrastructure() {
        return infrastructure;
    }

    HeraldConfig config() {
        return worker.config();
    }

    /** Drains the worker within {@code deadline}, then stops the embedded servers. */
    void shutdown(Duration deadline) {
        try {
            worker.shutdown(deadline);
        } finally {
            infrastructure.close();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }
}
