package io.herald.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.config.HeraldConfig;
import io.herald.config.Setting.Need;
import io.herald.route.Publisher;
import io.herald.route.Topology;
import io.herald.store.jdbc.Database;

/** The database and brokers of a running Herald, for the subcommands that read or change them. */
final class Connections {
    private Connections() {}

    /**
     * The database HERALD_DATABASE_URL names (a small pool), once a connection opened; a configuration error naming the
     * variable without it, one line naming the server and the cause when it cannot be reached.
     */
    static HikariDataSource database(HeraldConfig config) {
        config.require(Need.DATABASE);
        return Database.reached(Database.pool(config.database(), "herald-cli"));
    }

    /** A producer to the brokers KAFKA_BOOTSTRAP_SERVERS names, once they answered (or one line saying why not). */
    static Publisher publisher(HeraldConfig config, String clientId) {
        config.require(Need.KAFKA);
        Topology.ensureTopics(config);
        return Publisher.connect(config.kafka(), clientId);
    }
}
