package io.herald.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.herald.config.HeraldConfig;
import io.herald.config.Secret;
import io.herald.config.UnavailableException;
import io.herald.observe.UrlCredentials;
import java.time.Duration;

/**
 * Connections to Herald's PostgreSQL database: a HikariCP pool whose sessions bound every wait, so that no session,
 * not even one of a worker cut off from the database or dead, keeps a lock for long: a statement's run, its wait for a
 * lock, a transaction left open between statements, and the server's TCP keepalives on a peer that stopped answering.
 */
public final class Database {
    /** The server's TCP keepalives: a peer silent for 30 s is probed every 10 s, and dropped after 3 probes unanswered. */
    static final String KEEPALIVES =
            "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3;"
                    + " SET tcp_user_timeout = 60000";

    private Database() {}

    /** How long a session's statements, lock waits and open transactions may last. */
    public record Limits(Duration statementTimeout, Duration lockTimeout, Duration idleInTransactionTimeout) {
        static Limits of(HeraldConfig.Database settings) {
            return new Limits(settings.statementTimeout(), settings.lockTimeout(), settings.idleInTransactionTimeout());
        }

        /** What each connection runs when it opens. */
        String initSql() {
            // Custom plans only: a plan PostgreSQL caches while `commands` is small (a new deployment's first minute)
            // joins each outcome batch by scanning the whole table, and keeps doing so as the table grows.
            return "SET statement_timeout = " + statementTimeout.toMillis() + "; SET lock_timeout = "
                    + lockTimeout.toMillis() + "; SET idle_in_transaction_session_timeout = "
                    + idleInTransactionTimeout.toMillis() + "; " + KEEPALIVES
                    + "; SET plan_cache_mode = force_custom_plan";
        }
    }

    /** The pool a worker uses, its metrics in {@code registry}. */
    public static HikariDataSource pool(
            HeraldConfig.Database settings, String name, io.micrometer.core.instrument.MeterRegistry registry) {
        return pool(
                settings.url(),
                settings.user(),
                settings.password(),
                settings.poolSize(),
                Limits.of(settings),
                name,
                registry);
    }

    /** The pool a subcommand uses. */
    public static HikariDataSource pool(HeraldConfig.Database settings, String name) {
        return pool(
                settings.url(),
                settings.user(),
                settings.password(),
                Math.min(settings.poolSize(), 3),
                Limits.of(settings),
                name,
                null);
    }

    public static HikariDataSource pool(
            String url,
            String user,
            Secret password,
            int size,
            Limits limits,
            String name,
            io.micrometer.core.instrument.MeterRegistry registry) {
        var config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        if (!password.isEmpty()) {
            config.setPassword(password.value());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(10_000);
        config.setValidationTimeout(3_000);
        config.setKeepaliveTime(60_000);
        // A pool that cannot connect at start is not an error yet: the worker reports not ready and retries.
        config.setInitializationFailTimeout(-1);
        config.setConnectionInitSql(limits.initSql());
        config.addDataSourceProperty("ApplicationName", "herald");
        config.addDataSourceProperty("connectTimeout", "10");
        config.addDataSourceProperty(
                "socketTimeout",
                Long.toString(Math.max(10, limits.statementTimeout().toSeconds() * 2)));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        if (registry != null) {
            config.setMetricRegistry(registry);
        }
        return new HikariDataSource(config);
    }

    /** A pool of two connections with a statement timeout of 10 minutes, for the command line's one-off reads. */
    public static HikariDataSource small(String url, String user, Secret password) {
        return pool(
                url,
                user,
                password,
                2,
                new Limits(Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(10)),
                "herald-cli",
                null);
    }

    /**
     * The pool, once one of its connections opened (within its 10 s connection timeout); otherwise the pool is closed
     * and an {@link UnavailableException} names the server and PostgreSQL's reason (refused, a wrong password, no such
     * database), never the password.
     */
    public static HikariDataSource reached(HikariDataSource pool) {
        try {
            pool.getConnection().close();
            return pool;
        } catch (java.sql.SQLException e) {
            pool.close();
            Throwable reason = e;
            while (reason.getCause() instanceof java.sql.SQLException deeper) {
                reason = deeper;
            }
            var message =
                    String.valueOf(reason.getMessage()).lines().findFirst().orElse("");
            int sentence = message.indexOf(". ");
            throw new UnavailableException("cannot reach PostgreSQL at " + address(pool.getJdbcUrl()) + ": "
                    + (sentence > 0 ? message.substring(0, sentence) : message));
        }
    }

    /**
     * A JDBC URL without its parameters, which may hold a password: {@code host:port/database}, and user information
     * in it masked.
     */
    static String address(String url) {
        var address = UrlCredentials.masked(url).replaceFirst("^jdbc:postgresql:(//)?", "");
        int parameters = address.indexOf('?');
        return parameters < 0 ? address : address.substring(0, parameters);
    }

    /** Whether a connection of the pool answers within 2 s. */
    public static boolean reachable(javax.sql.DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
