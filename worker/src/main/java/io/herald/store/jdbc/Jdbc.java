package io.herald.store.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The one small JDBC helper of the store (db-scheduler's {@code JdbcRunner} in spirit): a transaction, an update,
 * a query with a row mapper, parameters bound by their Java type, and the rule that tells a database out of reach
 * (retried) from a statement it refused (not retried as is).
 */
public final class Jdbc {
    private static final int CONFLICT_ATTEMPTS = 5;

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Work done on one connection, in one transaction. */
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Reads one row. */
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Binds the parameters of one row of a batch. */
    public interface RowBinder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in a transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            return inTransaction(connection, work);
        }
    }

    /**
     * Runs {@code work} in a transaction, and again, up to {@value #CONFLICT_ATTEMPTS} times in all, while PostgreSQL
     * rolls it back for a deadlock or a serialization failure. For an operator's change to rows that the workers'
     * ledger writer changes too (a campaign or a command cancelled, an identity resumed): the writer locks the rows of
     * a batch in the batch's order, so the two can meet in a deadlock that neither caused, and PostgreSQL aborts one
     * of them. The writer tries its batch again; this tries the operator's change again, in place of failing it.
     * {@code work} must do nothing but its statements, since it may run more than once.
     */
    public <T> T inTransactionRetried(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(work);
            } catch (SQLException e) {
                if (!isConflict(e) || attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50) * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Runs {@code work} in a transaction on a connection the caller keeps. */
    public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            var result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the caller drops it
            }
            throw e;
        }
    }

    /** Runs one statement or query on a connection of its own (autocommit). */
    public <T> T withConnection(Work<T> work) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            return work.run(connection);
        }
    }

    public static int update(Connection connection, String sql, Object... args) throws SQLException {
        try (var statement = prepare(connection, sql, args)) {
            return statement.executeUpdate();
        }
    }

    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        try (var statement = prepare(connection, sql, args);
                var rows = statement.executeQuery()) {
            var results = new ArrayList<T>();
            while (rows.next()) {
                results.add(mapper.map(rows));
            }
            return results;
        }
    }

    public static <T> Optional<T> queryOne(Connection connection, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        var rows = query(connection, sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        return withConnection(connection -> query(connection, sql, mapper, args));
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        return withConnection(connection -> queryOne(connection, sql, mapper, args));
    }

    public int update(String sql, Object... args) throws SQLException {
        return withConnection(connection -> update(connection, sql, args));
    }

    /** Runs {@code sql} once for each row, as one JDBC batch; nothing at all when there are no rows. */
    public static <T> void batch(Connection connection, String sql, Collection<? extends T> rows, RowBinder<T> binder)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (var statement = connection.prepareStatement(sql)) {
            for (var row : rows) {
                binder.bind(statement, row);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** A statement with its parameters bound: {@link Instant} as a timestamp, a collection of strings as {@code text[]}. */
    public static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        var statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                bind(connection, statement, i + 1, args[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    public static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof Instant instant) {
            statement.setTimestamp(index, Timestamp.from(instant));
        } else if (value instanceof Collection<?> values) {
            statement.setArray(index, connection.createArrayOf("text", values.toArray()));
        } else if (value instanceof Array array) {
            statement.setArray(index, array);
        } else {
            statement.setObject(index, value);
        }
    }

    /** An array parameter of one type, e.g. {@code int8}, from a list that may hold nulls. */
    public static Array array(Connection connection, String type, List<?> values) throws SQLException {
        return connection.createArrayOf(type, values.toArray());
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        var timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    public static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    /**
     * A deadlock or a serialization failure, itself or as the cause: the transaction was rolled back and may be tried
     * again.
     */
    public static boolean isConflict(Throwable failure) {
        var sql = failure instanceof SQLException direct
                ? direct
                : failure.getCause() instanceof SQLException cause ? cause : null;
        return sql != null && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()));
    }

    /**
     * Whether the database refused what a statement holds rather than the statement: a data exception (SQLSTATE class
     * 22: a NUL or bytes that are not UTF-8 in text, an escape jsonb refuses, a value out of range) or a value too
     * large for its index (54000, an index row over about 2,700 bytes), itself or as a cause. Written alone, such a
     * write is refused however often it is tried, so it is the data's fault: a record that brought it is dead-lettered,
     * while an outage ({@link #isOutage}), a conflict ({@link #isConflict}) or any other refusal (a constraint, a
     * statement Herald got wrong) says nothing against the record.
     */
    public static boolean isDataException(Throwable failure) {
        var state = sqlState(failure);
        return state != null && (state.startsWith("22") || state.equals("54000"));
    }

    /** The SQLSTATE of the first {@link SQLException} among a failure and its causes, or null. */
    public static String sqlState(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /**
     * Whether a failure is the database being out of reach (retry the same work later), as opposed to a statement
     * it refused (retrying it as is cannot help). The driver may throw something else than {@link SQLException}
     * when a connection dies in the middle of a batch; that counts as out of reach too. A statement cancelled by its
     * timeout is not an outage: the database answered ({@link #isStatementTimeout}).
     */
    public static boolean isOutage(Throwable failure) {
        if (failure instanceof SQLException e) {
            var state = e.getSQLState();
            // 08: connection (a session PostgreSQL ended for its idle-in-transaction timeout too); 57P: shutdown or
            // restart; 53: out of resources
            return state == null || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53");
        }
        return failure instanceof AssertionError;
    }

    /**
     * A statement that waited for a lock longer than the session's {@code lock_timeout} (55P03), itself or as a
     * cause. Worth trying again: the lock's holder is a transaction that ends, at the latest, when PostgreSQL ends
     * its session for sitting idle in it ({@code idle_in_transaction_session_timeout}) or cancels its statement.
     */
    public static boolean isLockTimeout(Throwable failure) {
        return "55P03".equals(sqlState(failure));
    }

    /**
     * A statement PostgreSQL cancelled (57014), which on Herald's sessions is its {@code statement_timeout}: the
     * database is slow or the statement too large, so the same work is tried again only a few times, and smaller.
     */
    public static boolean isStatementTimeout(Throwable failure) {
        return "57014".equals(sqlState(failure));
    }
}
