package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Counts over the whole ledger, with no time window: for the small databases of dev mode (the demo's progress and
 * summary), not for a production ledger, whose console counts the last day only ({@link ConsoleQueries}).
 */
public final class Totals {
    private final Jdbc jdbc;

    public Totals(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Commands by status, by name; campaign parts are counted apart, as {@code campaign}, and records that were no
     * command (dead-lettered without a command id) add to {@code dead_lettered}.
     */
    public Map<String, Long> commandsByStatus() throws SQLException {
        var counts = new TreeMap<String, Long>();
        jdbc.query("""
                SELECT CASE WHEN type = 'campaign' THEN 'campaign' ELSE status END, count(*) FROM commands GROUP BY 1
                UNION ALL SELECT 'dead_lettered', count(*) FROM dead_letters WHERE command_id IS NULL""", row -> Map.entry(row.getString(1), row.getLong(2)))
                .forEach(count -> counts.merge(count.getKey(), count.getValue(), Long::sum));
        return counts;
    }

    /** Dead letters of one class, and how many of them were replayed. */
    public record DeadLetterCount(String errorClass, long count, long replayed) {}

    public List<DeadLetterCount> deadLettersByClass() throws SQLException {
        return jdbc.query(
                "SELECT error_class, count(*), count(replayed_at) FROM dead_letters GROUP BY 1 ORDER BY 1",
                row -> new DeadLetterCount(row.getString(1), row.getLong(2), row.getLong(3)));
    }
}
