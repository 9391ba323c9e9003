package io.herald.consume;

/**
 * When the poll loop pauses its partitions: the records held (waiting behind their account, scheduled, running, or
 * drained from the ledger) pass a count or a size; it resumes them once both are back under half. A poll's records are
 * {@linkplain #admits admitted} one by one within the size: the first that would pass it stays on its partition, which
 * is sought back to it and paused until it is {@linkplain #readmits readmitted}. A record's size is
 * its serialized bytes counted {@link #PARSED_FACTOR} times: the bytes as consumed, and the command parsed from them,
 * which holds about twice as much (its strings and JSON tree). While paused, drains of parked accounts and scheduled
 * commands wait too, so that what the ledger re-enters cannot pass the bound either.
 */
final class Backpressure {
    static final int PARSED_FACTOR = 3;
    /** A drain loads a page of an account's parked commands at a time: at most this share of the bound. */
    private static final int PAGES_IN_BOUND = 8;

    private final int maxRecords;
    private final long maxBytes;

    Backpressure(int maxRecords, long maxBytes) {
        if (maxRecords < 2 || maxBytes < PAGES_IN_BOUND * PARSED_FACTOR) {
            throw new IllegalArgumentException("a bound of " + maxRecords + " records and " + maxBytes + " bytes");
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** What a record, or a command loaded from the ledger, of {@code serialized} bytes counts for. */
    static long weight(long serialized) {
        return serialized * PARSED_FACTOR;
    }

    static long weight(byte[] key, byte[] value) {
        return weight((key == null ? 0 : key.length) + (value == null ? 0 : value.length));
    }

    /** Past the bound: the partitions pause, drains wait. */
    boolean over(int records, long bytes) {
        return records >= maxRecords || bytes >= maxBytes;
    }

    /**
     * Whether a record of {@code weight} may be handed out while {@code heldBytes} are held: when it stays within the
     * size, or when nothing is held at all (a record larger than the whole size is taken alone, so that it cannot block
     * its partition).
     */
    boolean admits(long heldBytes, long weight) {
        return heldBytes <= 0 || heldBytes + weight <= maxBytes;
    }

    /**
     * Whether a partition held back at a record of {@code weight} may resume: it is {@linkplain #admits admitted} and
     * the bytes held are back under half, so that a resumed partition hands out more than one record before it is
     * paused again (each pause drops what the consumer had fetched of it).
     */
    boolean readmits(long heldBytes, long weight) {
        return heldBytes <= 0 || (admits(heldBytes, weight) && heldBytes <= maxBytes / 2);
    }

    /** Under the low-water mark: what was paused resumes. */
    boolean under(int records, long bytes) {
        return records <= maxRecords / 2 && bytes <= maxBytes / 2;
    }

    /** The serialized bytes one page of a drain may load (one command more when the first alone is larger). */
    long drainPageBytes() {
        return maxBytes / PARSED_FACTOR / PAGES_IN_BOUND;
    }

    @Override
    public String toString() {
        return maxRecords + " records or " + maxBytes / (1024 * 1024) + " MiB";
    }
}
