package io.herald.consume;

import java.util.TreeSet;

/**
 * The offsets of one partition handed out and not yet finished. Everything below the lowest
 * unfinished offset is done, so that is the offset to commit: a commit never skips a command.
 * Not thread-safe; its owner locks.
 */
final class OffsetTracker {
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    void started(long offset) {
        unfinished.add(offset);
        next = Math.max(next, offset + 1);
    }

    void finished(long offset) {
        unfinished.remove(offset);
    }

    /** The offset to commit (the next one to consume after a restart), or -1 when nothing was seen. */
    long committable() {
        return unfinished.isEmpty() ? next : unfinished.first();
    }

    /** The committable offset if it moved since the last commit, else -1. */
    long toCommit() {
        long offset = committable();
        return offset > committed ? offset : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    int unfinishedCount() {
        return unfinished.size();
    }
}
