package io.herald.console;

import io.herald.campaign.CampaignLifecycle;
import io.herald.config.HeraldConfig;
import io.herald.config.Setting.Need;
import io.herald.consume.GroupLag;
import io.herald.store.ConsoleQueries;
import io.herald.store.DeadLetterStore;
import io.herald.store.IdentityHolds;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.Jdbc;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Herald's operator console: server-rendered pages over the ledger (PostgreSQL) and, when KAFKA_BOOTSTRAP_SERVERS is
 * set, the consumer lag and replays. Read-only unless HERALD_CONSOLE_TOKEN is set; every change then needs the
 * operator token and the session's CSRF token. {@code herald console} starts one; so can dev mode and the demo.
 */
public final class Console implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final com.zaxxer.hikari.HikariDataSource database;
    private final GroupLag lag;
    private final String host;

    private Console(
            Vertx vertx, HttpServer server, com.zaxxer.hikari.HikariDataSource database, GroupLag lag, String host) {
        this.vertx = vertx;
        this.server = server;
        this.database = database;
        this.lag = lag;
        this.host = host;
    }

    /**
     * Starts a console on {@code host} and {@code port} (0: any free port) for the Herald that {@code config} describes; it
     * needs HERALD_DATABASE_URL. Bind it to a loopback address unless it sits behind something that adds TLS.
     */
    public static Console start(HeraldConfig config, int port, String host) {
        config.require(Need.DATABASE);
        var vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4));
        var database = Database.pool(config.database(), "herald-console");
        var lag = new GroupLag(config, "herald-console");
        try {
            var clock = Clock.systemUTC();
            var sessions = new Sessions(config.operations().consoleToken().value(), clock);
            var routes = routes(vertx, sessions, new SignInThrottle(clock), config, database, lag);
            var server = vertx.createHttpServer(
                            new HttpServerOptions().setHost(host).setPort(port))
                    .requestHandler(routes::serve)
                    .listen()
                    .await(10, TimeUnit.SECONDS);
            return new Console(vertx, server, database, lag, host);
        } catch (Exception e) {
            lag.close();
            database.close();
            vertx.close();
            throw new IllegalStateException(
                    "the console cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static Routes routes(
            Vertx vertx,
            Sessions sessions,
            SignInThrottle throttle,
            HeraldConfig config,
            javax.sql.DataSource database,
            GroupLag lag) {
        var queries = new ConsoleQueries(database);
        var deadLetters = new DeadLettersPage(new DeadLetterStore(database), queries, config);
        var commands = new CommandPage(database, queries, config.kafka().outcomesTopic());
        var campaigns = new CampaignsPage(
                database,
                queries,
                new CampaignLifecycle(new Jdbc(database), config.kafka().outcomesTopic()));
        var identities = new IdentitiesPage(new IdentityHolds(database), queries);
        var signIn = new SignInPage(sessions, throttle);
        return new Routes(vertx, sessions, stylesheet())
                .get("/", new OverviewPage(queries, lag)::show)
                .get("/commands", new CommandSearchPage(queries)::show)
                .get("/command", commands::show)
                .get("/dead-letters", deadLetters::list)
                .change("/dead-letters/preview", deadLetters::preview)
                .change("/dead-letters/replay", deadLetters::replay)
                .get("/campaigns", campaigns::list)
                .get("/campaign", campaigns::show)
                .get("/campaign/cancel", campaigns::confirmCancel)
                .change("/campaign/cancel", campaigns::cancel)
                .get("/identities", identities::list)
                .change("/identities/resume", identities::resume)
                .get("/login", signIn::form)
                .post("/login", signIn::signIn)
                .post("/logout", signIn::signOut);
    }

    private static String stylesheet() {
        try (var css = Console.class.getResourceAsStream("console.css")) {
            if (css == null) {
                throw new IllegalStateException("console.css is missing from the jar");
            }
            return new String(css.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** The console's address, e.g. {@code http://127.0.0.1:8088/}. */
    public String url() {
        var shown = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : shown) + ":" + port() + "/";
    }

    @Override
    public void close() {
        try {
            server.close().await(5, TimeUnit.SECONDS);
            vertx.close().await(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        } finally {
            lag.close();
            database.close();
        }
    }
}
