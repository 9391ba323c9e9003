package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.jdbc.Migrations;
import io.herald.testing.TestInfrastructure;
import java.sql.SQLException;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class MigrationsIT {
    private final TestInfrastructure infrastructure = TestInfrastructure.get();

    @Test
    void migrates_an_empty_database_then_does_nothing_the_second_time_and_validates() throws SQLException {
        var dataSource = infrastructure.dataSource(infrastructure.newDatabaseUrl());

        var first = Migrations.apply(dataSource);
        var second = Migrations.apply(dataSource);
        Migrations.validate(dataSource);

        assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(1);
        assertThat(second.migrationsExecuted).isZero();
        var tables = new ArrayList<String>();
        try (var connection = dataSource.getConnection();
                var rows = connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                tables.add(rows.getString("TABLE_NAME"));
            }
        }
        assertThat(tables)
                .contains(
                        "commands",
                        "sharing_messages",
                        "publications",
                        "short_urls",
                        "referral_samples",
                        "campaigns",
                        "campaign_parts",
                        "dead_letters",
                        "partition_leases",
                        "parked",
                        "outbox",
                        "identity_holds");
    }

    @Test
    void the_commands_table_has_the_contract_columns_and_rejects_an_unknown_status() throws SQLException {
        var dataSource = infrastructure.newMigratedDatabase();
        try (var connection = dataSource.getConnection()) {
            var columns = new ArrayList<String>();
            try (var rows = connection.getMetaData().getColumns(null, "public", "commands", "%")) {
                while (rows.next()) {
                    columns.add(rows.getString("COLUMN_NAME"));
                }
            }
            assertThat(columns)
                    .contains(
                            "command_id",
                            "type",
                            "status",
                            "attempts",
                            "last_error",
                            "campaign_id",
                            "created_at",
                            "updated_at");
            try (var statement = connection.createStatement()) {
                statement.execute(
                        "INSERT INTO commands (command_id, type, status, routing_key) VALUES ('a', 'push', 'pending', 'k')");
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> statement.execute(
                                        "INSERT INTO commands (command_id, type, status, routing_key) VALUES ('b', 'push', 'done', 'k')"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("commands_status_check");
            }
        }
    }
}
