package io.herald.store;

import static io.herald.store.jdbc.Jdbc.array;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Partition ownership in the ledger: the epoch of each partition's lease, which every assignment raises in Kafka's
 * order of assignments ({@link LeaseEpoch}), never in the order the raises happen to reach the database. A batch
 * that claims or parks takes a shared advisory lock on each partition it touches and reads their epochs; raising an
 * epoch takes the same lock exclusively, so no claim or park of the old epoch can commit after the raise, and the
 * new owner, which reads the partition's parked and in-flight commands after it, sees every one that did.
 */
final class Fence {
    private record Partition(String topic, int partition) {}

    private final Map<Partition, Long> epochs;

    private Fence(Map<Partition, Long> epochs) {
        this.epochs = epochs;
    }

    static Fence of(Connection connection, Collection<Source> sources) throws SQLException {
        var partitions = new LinkedHashSet<Partition>();
        sources.forEach(source -> partitions.add(new Partition(source.topic(), source.partition())));
        var epochs = new HashMap<Partition, Long>();
        if (partitions.isEmpty()) {
            return new Fence(epochs);
        }
        var topics = new ArrayList<String>();
        var numbers = new ArrayList<Integer>();
        partitions.stream()
                .sorted(java.util.Comparator.comparing(Partition::topic).thenComparing(Partition::partition))
                .forEach(p -> {
                    topics.add(p.topic());
                    numbers.add(p.partition());
                });
        try (var lock = connection.prepareStatement("""
                SELECT pg_advisory_xact_lock_shared(hashtext(t), p) FROM unnest(?::text[], ?::int[]) AS x(t, p)""")) {
            lock.setArray(1, array(connection, "text", topics));
            lock.setArray(2, array(connection, "int4", numbers));
            lock.executeQuery().close();
        }
        try (var read = connection.prepareStatement("""
                SELECT l.topic, l.partition, l.epoch FROM partition_leases l
                  JOIN unnest(?::text[], ?::int[]) AS x(t, p) ON l.topic = x.t AND l.partition = x.p""")) {
            read.setArray(1, array(connection, "text", topics));
            read.setArray(2, array(connection, "int4", numbers));
            try (var rows = read.executeQuery()) {
                while (rows.next()) {
                    epochs.put(new Partition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
                }
            }
        }
        return new Fence(epochs);
    }

    /** Whether the source's epoch is still its partition's. */
    boolean holds(Source source) {
        var epoch = epochs.get(new Partition(source.topic(), source.partition()));
        return epoch != null && epoch == source.epoch();
    }

    /** What a raise came to: the lease's epoch, and whether it is the raising assignment's. */
    record Raise(long epoch, boolean taken) {}

    /**
     * Raises the partition's epoch for {@code owner}'s assignment of {@code generation}, unless a later assignment's
     * raise came first ({@link LeaseEpoch#next}); call in a transaction of its own, whose commit releases the lock.
     */
    static Raise raise(Connection connection, String topic, int partition, String owner, int generation)
            throws SQLException {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?), ?)")) {
            lock.setString(1, topic);
            lock.setInt(2, partition);
            lock.executeQuery().close();
        }
        Long current = null;
        String currentOwner = null;
        try (var read = connection.prepareStatement(
                "SELECT epoch, owner FROM partition_leases WHERE topic = ? AND partition = ?")) {
            read.setString(1, topic);
            read.setInt(2, partition);
            try (var rows = read.executeQuery()) {
                if (rows.next()) {
                    current = rows.getLong(1);
                    currentOwner = rows.getString(2);
                }
            }
        }
        var next = LeaseEpoch.next(current, currentOwner, owner, generation);
        if (next.isEmpty()) {
            return new Raise(current, false);
        }
        if (current == null || current != next.getAsLong()) {
            try (var raise = connection.prepareStatement("""
                    INSERT INTO partition_leases AS l (topic, partition, epoch, owner) VALUES (?, ?, ?, ?)
                    ON CONFLICT (topic, partition) DO UPDATE SET epoch = EXCLUDED.epoch, owner = EXCLUDED.owner, acquired_at = now()""")) {
                raise.setString(1, topic);
                raise.setInt(2, partition);
                raise.setLong(3, next.getAsLong());
                raise.setString(4, owner);
                raise.executeUpdate();
            }
        }
        return new Raise(next.getAsLong(), true);
    }
}
