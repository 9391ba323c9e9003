package io.herald.consume;

/**
 * What a drain of parked commands, or a scheduled command come due, holds in memory while it runs: counted with the
 * records held (see {@link Backpressure}), and given up when the item ends. Its work stops once its partition is no
 * longer this assignment's.
 */
public interface Holding {
    /** Whether the partition is still this assignment's. */
    boolean owned();

    /** Commands of {@code serializedBytes} loaded from the ledger are held. */
    void hold(long serializedBytes);

    /** Commands of {@code serializedBytes} held are let go (the rest is let go when the item ends). */
    void release(long serializedBytes);

    /** The serialized bytes one page of a drain may load. */
    long pageBytes();
}
