package io.herald.store;

import java.util.OptionalLong;

/**
 * A partition lease's epoch, in Kafka's order of assignments: its high 32 bits are the era (one per incarnation of
 * the consumer group), its low 32 bits the group generation of the assignment that took the lease. Within an era a
 * lease is only ever raised to a later generation, and Kafka assigns a partition to one member per generation, so an
 * assignment's raise that reaches the database late, after a later owner's, is refused instead of fencing that owner.
 * Epochs of the version before (a counter raised by one per assignment) are era 0.
 */
final class LeaseEpoch {
    private static final int SHIFT = 32;
    private static final long GENERATIONS = (1L << SHIFT) - 1;

    private LeaseEpoch() {}

    /**
     * The first epoch of the era after {@code epoch}'s, below every assignment's: what an operator sets after the
     * consumer group was recreated and its generations started again (docs/operations.md).
     */
    static long nextEra(long epoch) {
        return of(era(epoch) + 1, 0);
    }

    static long of(long era, int generation) {
        if (era < 0 || generation < 0) {
            throw new IllegalArgumentException("an era and a generation are not negative: " + era + ", " + generation);
        }
        return era << SHIFT | generation;
    }

    static long era(long epoch) {
        return epoch >>> SHIFT;
    }

    static int generation(long epoch) {
        return (int) (epoch & GENERATIONS);
    }

    /**
     * The epoch an assignment of {@code generation} to {@code owner} takes, given the lease's {@code current} epoch and
     * owner (null: no lease yet), or empty when the lease belongs to a later assignment (this one is superseded).
     * The same assignment's raise again (its first commit's acknowledgement was lost) keeps the epoch it took.
     */
    static OptionalLong next(Long current, String currentOwner, String owner, int generation) {
        if (current == null || era(current) == 0) {
            return OptionalLong.of(of(1, generation));
        }
        int held = generation(current);
        if (generation > held) {
            return OptionalLong.of(of(era(current), generation));
        }
        if (generation == held && owner.equals(currentOwner)) {
            return OptionalLong.of(current);
        }
        return OptionalLong.empty();
    }
}
