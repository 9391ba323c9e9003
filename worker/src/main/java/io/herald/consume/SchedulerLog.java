package io.herald.consume;

import io.herald.consume.PartitionWork.DrainItem;
import io.herald.consume.PartitionWork.Item;
import io.herald.consume.PartitionWork.RecordItem;
import io.herald.consume.PartitionWork.ScheduledItem;
import io.herald.observe.CommandLog;
import io.herald.schema.Validation;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/** The scheduler's log lines about work that failed, with the command and account they concern (as the scheduler's). */
final class SchedulerLog {
    private static final CommandLog log = CommandLog.of(LoggerFactory.getLogger(KeyedScheduler.class));

    private SchedulerLog() {}

    static void recordFailed(PartitionWork work, RecordItem record, Throwable error) {
        log.error(
                new CommandLog.About(commandId(record.delivery()), record.key(), work.partition, null),
                "record {}@{} failed unexpectedly; its offset is held back so that it is not lost",
                work,
                record.delivery().offset(),
                error);
    }

    static void retried(PartitionWork work, Item item, Duration retryIn, Throwable error) {
        log.error(
                new CommandLog.About(
                        item instanceof ScheduledItem scheduledItem ? scheduledItem.commandId() : null,
                        item.key(),
                        work.partition,
                        null),
                "{} of account {} of {} failed; retrying in {} s",
                item instanceof DrainItem ? "the drain" : "a scheduled command",
                item.key(),
                work,
                retryIn.toSeconds(),
                error);
    }

    private static String commandId(Delivery delivery) {
        return delivery.validation() instanceof Validation.Valid valid
                ? valid.command().commandId()
                : null;
    }
}
