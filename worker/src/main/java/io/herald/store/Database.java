package io.herald.store;

import io.herald.config.Secret;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Connections to Herald's PostgreSQL database. */
public final class Database {
    private Database() {}

    public static DataSource dataSource(String jdbcUrl, String user, Secret password) {
        var dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
        if (!password.isEmpty()) {
            dataSource.setPassword(password.value());
        }
        dataSource.setApplicationName("herald");
        dataSource.setConnectTimeout(10);
        dataSource.setReWriteBatchedInserts(true);
        return dataSource;
    }

}
