package io.herald;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.config.HeraldConfig;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.Migrations;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's start-up, from the moment its health endpoints listen until its poll loop runs: the stage it is at, which
 * {@code /health/ready} gives as its reason meanwhile, and what it has opened so far, closed again in reverse order
 * when a later stage fails, so that the process ends with that stage's error and nothing of the worker is left
 * listening or connected (a test's JVM, or herald-dev's, goes on after a failed start). Used by the thread that
 * starts the worker; the stage alone is read by the health endpoints' event loop.
 */
final class Startup {
    private static final Logger log = LoggerFactory.getLogger(Startup.class);

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private volatile String stage = "opening the health endpoints";

    /** Enters the next stage: {@code /health/ready} says {@code starting: STAGE} until the worker runs. */
    void stage(String stage) {
        this.stage = stage;
        log.info("starting: {}", stage);
    }

    String stage() {
        return stage;
    }

    /** The stage that brings the database's schema up to date, when {@code HERALD_MIGRATE_AT_START} asks for it. */
    void migrateIfAsked(HeraldConfig.Database database, HikariDataSource dataSource) {
        if (database.migrateAtStart()) {
            stage("applying database migrations");
            // a database out of reach ends the start in one line naming it, as for every subcommand
            var result = Migrations.apply(Database.reached(dataSource));
            log.info(
                    "database schema at version {} ({} migration(s) applied)",
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    /** Remembers something the start opened, to close it if a later stage fails; returns it. */
    <T extends AutoCloseable> T opened(T resource) {
        opened.push(resource);
        return resource;
    }

    /** The start failed: closes what it opened, the last first. */
    void abort() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                log.debug("a part of the failed start did not close cleanly", e);
            }
        }
    }
}
