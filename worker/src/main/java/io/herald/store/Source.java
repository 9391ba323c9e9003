package io.herald.store;

/**
 * Where a command was consumed from, and the epoch of its partition's lease under which this worker consumed it:
 * a claim or park with an epoch that is no longer the partition's is refused (the partition is another worker's).
 */
public record Source(String topic, int partition, long offset, long epoch) {}
