package io.herald.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The outbox rows one relay holds, by id: waiting for the producer, handed to it, or acknowledged by Kafka and not
 * deleted yet. A held row is never taken again, by this relay's sweep or by another worker's (the relay renews its
 * rows' leases), so each row is handed to the producer once until Kafka acknowledges it or the send fails; a row whose
 * send failed waits to be handed over again. At most {@code capacity} rows are held: the rest wait in the table, not
 * in the heap. Thread-safe: the ledger writer adds rows, the producer's completions and the relay's threads move them.
 */
final class HeldRows {
    private enum State {
        WAITING,
        HANDED,
        ACKNOWLEDGED
    }

    private final int capacity;
    private final Map<Long, State> rows = new HashMap<>();
    private final LinkedHashSet<Long> acknowledged = new LinkedHashSet<>();
    private long handed;

    HeldRows(int capacity) {
        this.capacity = capacity;
    }

    /** Holds a row to hand to the producer; false when it is held already or no room is left. */
    synchronized boolean hold(long id) {
        if (rows.size() >= capacity || rows.containsKey(id)) {
            return false;
        }
        rows.put(id, State.WAITING);
        return true;
    }

    /** The row is in the producer's hands. */
    synchronized void handed(long id) {
        if (rows.replace(id, State.WAITING, State.HANDED)) {
            handed++;
        }
    }

    /** Kafka has the row: it waits to be deleted, and is still held until it is. */
    synchronized void acknowledged(long id) {
        if (rows.replace(id, State.HANDED, State.ACKNOWLEDGED)) {
            handed--;
            acknowledged.add(id);
        }
    }

    /** The send failed: the row waits to be handed over again, still held. */
    synchronized void failed(long id) {
        if (rows.replace(id, State.HANDED, State.WAITING)) {
            handed--;
        }
    }

    /** The row is let go without being sent (the relay stops): it stays in the table for a later sweep. */
    synchronized void release(long id) {
        if (rows.get(id) == State.WAITING) {
            rows.remove(id);
        }
    }

    /** Up to {@code limit} acknowledged rows, oldest first, to delete; they stay held until {@link #deleted}. */
    synchronized List<Long> toDelete(int limit) {
        var ids = new ArrayList<Long>(Math.min(limit, acknowledged.size()));
        for (var id : acknowledged) {
            if (ids.size() == limit) {
                break;
            }
            ids.add(id);
        }
        return ids;
    }

    /** The rows are gone from the table: no longer held. */
    synchronized void deleted(List<Long> ids) {
        for (var id : ids) {
            if (acknowledged.remove(id)) {
                rows.remove(id);
            }
        }
    }

    /** Every row held, which the relay's sweep leaves alone and whose leases it renews. */
    synchronized List<Long> all() {
        return List.copyOf(rows.keySet());
    }

    /** Rows that may still be held. */
    synchronized int room() {
        return capacity - rows.size();
    }

    /** Rows handed to the producer and not acknowledged yet. */
    synchronized long handed() {
        return handed;
    }

    synchronized boolean isHeld(long id) {
        return rows.containsKey(id);
    }
}
