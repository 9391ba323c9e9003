package io.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.config.HeraldConfig;
import io.herald.store.jdbc.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald migrate}: applies the database migrations to {@code HERALD_DATABASE_URL}. */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Applies the database migrations (a worker also does at start).")
final class MigrateCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

    @Override
    public Integer call() {
        try (var dataSource = Connections.database(HeraldConfig.fromEnvironment())) {
            var result = Migrations.apply(dataSource);
            Migrations.validate(dataSource);
            var version = result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion;
            System.out.println(
                    json
                            ? new ObjectMapper()
                                    .createObjectNode()
                                    .put("migrations_applied", result.migrationsExecuted)
                                    .put("schema_version", version)
                                    .toString()
                            : "Applied " + result.migrationsExecuted + " migration(s); schema version " + version);
            return ExitCodes.OK;
        }
    }
}
