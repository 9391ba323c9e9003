package io.herald.store.jdbc;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the Flyway migrations of the {@code migrations} module (classpath {@code db/migration}). */
public final class Migrations {
    private Migrations() {}

    public static MigrateResult apply(DataSource dataSource) {
        return flyway(dataSource).migrate();
    }

    /** Fails when the database's applied migrations differ from those on the classpath. */
    public static void validate(DataSource dataSource) {
        flyway(dataSource).validate();
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load();
    }
}
