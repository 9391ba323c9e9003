package io.herald.cli;

import io.herald.config.HeraldConfig;
import io.herald.store.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code herald migrate}: applies the database migrations to {@code HERALD_DATABASE_URL}. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Applies the database migrations (a worker also does at start).")
final class MigrateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        try (var dataSource = Connections.database(HeraldConfig.fromEnvironment())) {
            var result = Migrations.apply(dataSource);
            Migrations.validate(dataSource);
            System.out.println("Applied " + result.migrationsExecuted + " migration(s); schema version "
                    + (result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion));
            return 0;
        }
    }
}
