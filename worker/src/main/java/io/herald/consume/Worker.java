package io.herald.consume;

import io.herald.command.Timer;
import io.herald.observe.Metrics;
import io.herald.schema.CommandReader;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop, a short list of named steps: take over the partitions whose leases are acquired, poll, hand the
 * records out within the bytes held ({@link Intake}), apply backpressure, commit what is finished, repeat. One thread
 * owns the consumer; {@link #shutdown(Duration)} stops it through {@code wakeup()}, drains what runs within a deadline
 * and commits. {@link #alive()} says whether the loop still completes polls: a consumer that died, or hangs, fails the
 * liveness probe.
 */
public final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long COMMIT_INTERVAL_NANOS = 200_000_000L;
    private static final long SCHEDULE_RELOAD_NANOS = TimeUnit.MINUTES.toNanos(5);
    static final Duration SCHEDULE_HORIZON = Duration.ofMinutes(10);

    /**
     * What a worker needs besides its consumer; {@code maxBuffered} and {@code maxBufferedBytes} bound the records it
     * holds ({@link Backpressure}).
     */
    public record Settings(
            String topic, int maxBuffered, long maxBufferedBytes, Duration drainTimeout, Duration livenessBound) {}

    private final Consumer<byte[], byte[]> consumer;
    private final Settings settings;
    private final KeyedScheduler scheduler;
    private final Backpressure backpressure;
    private final Assignments assignments;
    private final BooleanSupplier mayConsume;
    private final ConsumerLag lag;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Intake intake;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile boolean died;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile Duration shutdownDeadline = Duration.ofSeconds(30);
    private long lastCommit;
    private long lastScheduleReload = System.nanoTime();

    public Worker(
            Consumer<byte[], byte[]> consumer,
            Settings settings,
            RecordHandler handler,
            LeaseStore leases,
            Timer timer,
            Clock clock,
            BooleanSupplier mayConsume,
            Metrics metrics) {
        this.consumer = consumer;
        this.settings = settings;
        var reader = new CommandReader();
        this.backpressure = new Backpressure(settings.maxBuffered(), settings.maxBufferedBytes());
        this.scheduler = new KeyedScheduler(handler, backpressure, timer, clock, reader::read);
        this.assignments = new Assignments(leases, SCHEDULE_HORIZON);
        this.intake = new Intake(consumer, backpressure);
        this.mayConsume = mayConsume;
        this.lag = new ConsumerLag(consumer, metrics);
        metrics.gauge("herald_buffered_records", "records consumed and not yet finished", scheduler::buffered);
        metrics.gauge(
                "herald_buffered_bytes",
                "what the records held and the commands drained count for, in bytes (three times their serialized size)",
                scheduler::bufferedBytes);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(
                    List.of(settings.topic()),
                    new Rebalance(
                            consumer,
                            scheduler,
                            assignments,
                            lag,
                            settings.drainTimeout(),
                            () -> assigned = true,
                            intake));
            while (running) {
                takeOverAcquired();
                var records = consumer.poll(POLL_TIMEOUT);
                lastPollNanos = System.nanoTime();
                intake.handOut(records, scheduler.bufferedBytes(), scheduler::add);
                applyBackpressure();
                commitIfDue();
                reloadSchedulesIfDue();
                lag.update();
            }
        } catch (WakeupException e) {
            if (running) {
                died = true;
                throw e;
            }
        } catch (RuntimeException | Error e) {
            died = true;
            log.error("the poll loop failed; the worker stops", e);
            throw e;
        } finally {
            drainAndCommit();
            assignments.close();
            consumer.close();
            stopped.countDown();
        }
    }

    /** Stops polling, lets running commands finish within {@code deadline}, commits, and returns when done. */
    public void shutdown(Duration deadline) throws InterruptedException {
        shutdownDeadline = deadline;
        running = false;
        consumer.wakeup();
        stopped.await(deadline.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    }

    /** Ready once the consumer has an assignment (possibly empty) from its group. */
    public boolean assigned() {
        return assigned;
    }

    /** Whether the poll loop runs and completed a poll within the liveness bound. */
    public boolean alive() {
        return !died
                && stopped.getCount() > 0
                && System.nanoTime() - lastPollNanos < settings.livenessBound().toNanos();
    }

    /** Whether the poll loop has died (it did not stop because it was asked to). */
    public boolean died() {
        return died;
    }

    /** The account's commands waiting in the ledger are due now. */
    public void wake(String routingKey) {
        scheduler.wake(routingKey);
    }

    public int buffered() {
        return scheduler.buffered();
    }

    /** Partitions whose lease and ledger state were read start: resumed, unless backpressure holds them. */
    private void takeOverAcquired() {
        boolean taken = false;
        for (var acquired : assignments.acquired()) {
            if (consumer.assignment().contains(acquired.partition())) {
                scheduler.assigned(acquired.partition(), acquired.takeover());
                taken = true;
            }
        }
        if (taken) {
            intake.apply(active(), scheduler.bufferedBytes());
        }
    }

    private void applyBackpressure() {
        int records = scheduler.buffered();
        long bytes = scheduler.bufferedBytes();
        boolean full = backpressure.over(records, bytes);
        boolean under = backpressure.under(records, bytes);
        if (full || under) {
            scheduler.pace(full);
        }
        boolean mayConsume = this.mayConsume.getAsBoolean();
        if (full || !mayConsume) {
            intake.hold(true);
        } else if (under) {
            intake.hold(false);
        }
        intake.apply(active(), bytes);
    }

    /** The partitions assigned whose lease is taken. */
    private Set<TopicPartition> active() {
        var active = new HashSet<>(consumer.assignment());
        active.removeAll(assignments.pending());
        return active;
    }

    private void commitIfDue() {
        long now = System.nanoTime();
        if (now - lastCommit < COMMIT_INTERVAL_NANOS) {
            return;
        }
        lastCommit = now;
        var offsets = scheduler.toCommit();
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error == null) {
                scheduler.committed(committed);
            } else {
                log.debug("an offset commit failed ({}); the next one covers it", error.getMessage());
            }
        });
    }

    /** Scheduled commands are loaded a horizon ahead; the horizon moves on. */
    private void reloadSchedulesIfDue() {
        long now = System.nanoTime();
        if (now - lastScheduleReload < SCHEDULE_RELOAD_NANOS) {
            return;
        }
        lastScheduleReload = now;
        for (var partition : scheduler.partitions()) {
            assignments.reloadSchedule(partition, scheduled -> scheduler.scheduleAll(partition, scheduled));
        }
    }

    private void drainAndCommit() {
        long deadline = System.nanoTime() + shutdownDeadline.toNanos();
        var partitions = scheduler.partitions();
        scheduler.revoke(partitions);
        while (scheduler.running(partitions) && System.nanoTime() < deadline) {
            sleep(20);
        }
        if (scheduler.running(partitions)) {
            log.warn(
                    "commands were still running at the drain deadline; their records will be consumed again and found in flight");
        }
        Rebalance.commitSync(consumer, scheduler.release(partitions));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
