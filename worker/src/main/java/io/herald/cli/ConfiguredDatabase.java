package io.herald.cli;

import io.herald.config.HeraldConfig;
import io.herald.store.Database;
import javax.sql.DataSource;

/** The database of a running Herald, for the subcommands that read or change it. */
final class ConfiguredDatabase {
    private ConfiguredDatabase() {}

    /** The database HERALD_DATABASE_URL names; without one, fails with "HERALD_DATABASE_URL is not set: {@code why}". */
    static DataSource of(HeraldConfig config, String why) {
        var url = config.databaseUrl().orElseThrow(() -> new IllegalArgumentException("HERALD_DATABASE_URL is not set: " + why));
        return Database.dataSource(url, config.databaseUser(), config.databasePassword());
    }
}
