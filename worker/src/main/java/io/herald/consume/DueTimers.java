package io.herald.consume;

import io.herald.command.Timer;
import io.herald.consume.PartitionWork.DrainItem;
import io.herald.consume.PartitionWork.Item;
import io.herald.consume.PartitionWork.ScheduledItem;
import io.herald.store.Leases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The scheduler's timers: when a parked account drains and when a scheduled command comes due. Each timer starts its
 * item through the scheduler, which runs it in its account's order; the bookkeeping they read (an account's drain
 * moment, a partition's set of timed commands) is guarded by the scheduler's lock.
 */
final class DueTimers {
    private final Timer timer;
    private final Clock clock;
    private final ReentrantLock lock;
    private final BiConsumer<PartitionWork, Item> start;

    DueTimers(Timer timer, Clock clock, ReentrantLock lock, BiConsumer<PartitionWork, Item> start) {
        this.timer = timer;
        this.clock = clock;
        this.lock = lock;
        this.start = start;
    }

    /** Sets a timer for each scheduled command of the partition's work (those already set are skipped). */
    void scheduleAll(PartitionWork work, List<Leases.Scheduled> scheduled) {
        for (var command : scheduled) {
            boolean fresh;
            lock.lock();
            try {
                fresh = !work.revoked && work.scheduled.add(command.commandId());
            } finally {
                lock.unlock();
            }
            if (fresh) {
                timer.schedule(
                        delayUntil(command.dueAt()),
                        () -> start.accept(work, new ScheduledItem(work, command.routingKey(), command.commandId())));
            }
        }
    }

    /**
     * The scheduled command a disposition names, when it is due within the horizon: its timer is set at once (one due
     * later is set by a later reload of the partition's schedule).
     */
    void scheduleSoon(PartitionWork work, Disposition disposition) {
        if (disposition instanceof Disposition.Scheduled s
                && !s.dueAt().isAfter(clock.instant().plus(Worker.SCHEDULE_HORIZON))) {
            scheduleAll(work, List.of(new Leases.Scheduled(s.commandId(), s.routingKey(), s.dueAt())));
        }
    }

    /** The account's parked commands drain at {@code due}, or at the earlier moment already set. */
    void drainAt(PartitionWork work, String key, Instant due) {
        lock.lock();
        try {
            var keyWork = work.key(key);
            keyWork.drainAt = keyWork.drainAt == null || due.isBefore(keyWork.drainAt) ? due : keyWork.drainAt;
        } finally {
            lock.unlock();
        }
        timer.schedule(delayUntil(due), () -> drainIfDue(work, key));
    }

    /** A timer may fire a little early (its delay is in whole milliseconds): not yet due, it is set again. */
    private void drainIfDue(PartitionWork work, String key) {
        Instant due;
        lock.lock();
        try {
            var keyWork = work.keys.get(key);
            due = keyWork == null ? null : keyWork.drainAt;
        } finally {
            lock.unlock();
        }
        if (due == null) {
            return;
        }
        if (due.isAfter(clock.instant().plusMillis(2))) {
            timer.schedule(delayUntil(due), () -> drainIfDue(work, key));
            return;
        }
        start.accept(work, new DrainItem(work, key));
    }

    private Duration delayUntil(Instant due) {
        var delay = Duration.between(clock.instant(), due);
        return delay.isNegative() ? Duration.ZERO : delay;
    }
}
