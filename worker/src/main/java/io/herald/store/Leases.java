package io.herald.store;

import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What a worker takes over with a partition: the partition's lease (a new epoch, which fences every other worker's
 * claims and parks on it), then what waits in the ledger for it: the accounts with parked commands and when each is
 * due, and the scheduled commands coming due soon.
 */
public final class Leases {
    private final Jdbc jdbc;
    private final String owner;

    public Leases(DataSource dataSource, String owner) {
        this.jdbc = new Jdbc(dataSource);
        this.owner = owner;
    }

    /** A partition taken over: its new epoch and the accounts waiting in it. */
    public record Takeover(long epoch, Map<String, Instant> accounts, List<Scheduled> scheduled) {}

    /** A scheduled command: which account it is of and when it is due. */
    public record Scheduled(String commandId, String routingKey, Instant dueAt) {}

    /**
     * The partition's lease belongs to a later assignment than the one taking it over (its raise reached the database
     * first): this one is over, or soon will be, and must not fence the later one.
     */
    public static final class Superseded extends Exception {
        Superseded(String topic, int partition, long epoch, int generation) {
            super("the lease of " + topic + "-" + partition + " is held at generation " + LeaseEpoch.generation(epoch)
                    + " (era " + LeaseEpoch.era(epoch) + "), not earlier than this assignment's " + generation);
        }
    }

    /**
     * Raises the partition's epoch for this worker's assignment of the group's {@code generation}, then reads what
     * waits in it (after the raise committed: everything the previous owner parked is visible, and it can park no
     * more). An account is due when its first command is.
     */
    public Takeover takeOver(String topic, int partition, int generation, java.time.Duration scheduledHorizon)
            throws SQLException, Superseded {
        var raise = jdbc.inTransaction(connection -> Fence.raise(connection, topic, partition, owner, generation));
        if (!raise.taken()) {
            throw new Superseded(topic, partition, raise.epoch(), generation);
        }
        long epoch = raise.epoch();
        var accounts = new LinkedHashMap<String, Instant>();
        jdbc.query("""
                SELECT DISTINCT ON (routing_key) routing_key, coalesce(due_at, now()) AS due_at
                  FROM parked WHERE topic = ? AND partition = ? AND NOT scheduled
                 ORDER BY routing_key, position""", row -> accounts.put(row.getString(1), Jdbc.instant(row, "due_at")), topic, partition);
        return new Takeover(epoch, accounts, scheduled(topic, partition, scheduledHorizon));
    }

    /** The partition's scheduled commands due within {@code horizon}, soonest first (at most 10,000). */
    public List<Scheduled> scheduled(String topic, int partition, java.time.Duration horizon) throws SQLException {
        return jdbc.query(
                """
                SELECT command_id, routing_key, due_at FROM parked
                 WHERE topic = ? AND partition = ? AND scheduled AND due_at <= now() + make_interval(secs => ?)
                 ORDER BY due_at, position LIMIT 10000""",
                row -> new Scheduled(row.getString(1), row.getString(2), Jdbc.instant(row, "due_at")),
                topic,
                partition,
                (double) horizon.toSeconds());
    }
}
