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
        var config = HeraldConfig.fromEnvironment();
        var dataSource = ConfiguredDatabase.of(config,
                "there is no database to migrate (dev mode migrates its embedded database itself)");
        var result = Migrations.apply(dataSource);
        Migrations.validate(dataSource);
        System.out.println("Applied " + result.migrationsExecuted + " migration(s); schema version "
                + (result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion));
        return 0;
    }
}
