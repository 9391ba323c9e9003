package io.herald.process;

import io.herald.command.Classification;
import io.herald.command.api.CallResult;
import io.herald.consume.Delivery;
import io.herald.observe.CommandLog;
import io.herald.schema.Command;
import io.herald.store.CommandRef;
import io.herald.store.Source;
import java.time.Instant;

/**
 * One command on its way through the executor: the command and the record it came in, which stay what they are;
 * what is known of its current claim and call is an {@link Attempt}.
 */
final class Work {
    /** The last call made, for its attempt's record. */
    record LastCall(
            int attempt, Instant startedAt, long durationMs, CallResult result, Classification classification) {}

    final Delivery delivery;
    final Command command;
    final CommandRef ref;
    final Source source;
    /** What its log lines name: its id, routing key, partition and campaign. */
    final CommandLog.About about;

    Work(Delivery delivery, Command command, CommandRef ref) {
        this.delivery = delivery;
        this.command = command;
        this.ref = ref;
        this.source = delivery.source();
        this.about = new CommandLog.About(
                ref.commandId(),
                ref.routingKey(),
                delivery.partition(),
                ref.campaignId(),
                traceId(delivery.headers().text(io.herald.schema.TraceHeaders.TRACEPARENT)),
                null);
    }

    /** Its place at the head of its account in the parking table until {@code dueAt}, with its record's value and headers. */
    io.herald.store.LedgerChange.Park parked(java.time.Instant dueAt) {
        return new io.herald.store.LedgerChange.Park(delivery.value(), dueAt, false, delivery.headers());
    }

    /** Its record in the parking table: until {@code dueAt} (or its schedule), or {@code behind} its account's head. */
    io.herald.store.ParkRequest parkRequest(java.time.Instant dueAt, boolean scheduled, boolean behind) {
        return new io.herald.store.ParkRequest(
                ref, source, delivery.value(), dueAt, scheduled, behind, delivery.headers());
    }

    /** The trace id a {@code traceparent} names ({@code 00-<trace id>-<span id>-<flags>}), or null. */
    static String traceId(String traceparent) {
        return traceparent != null && traceparent.length() >= 55 && traceparent.charAt(2) == '-'
                ? traceparent.substring(3, 35)
                : null;
    }
}
