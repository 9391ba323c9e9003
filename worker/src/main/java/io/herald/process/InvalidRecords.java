package io.herald.process;

import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import io.herald.consume.Delivery;
import io.herald.route.OutcomeEvents;
import io.herald.schema.CommandType;
import io.herald.schema.RecordKeys;
import io.herald.schema.Validation;
import io.herald.store.CommandRef;
import io.herald.store.LedgerChange;
import io.herald.store.LedgerChange.Guard;
import java.util.Map;

/**
 * Records that are no command the ledger can hold, recorded by their bytes: dead-lettered as {@code invalid}, never sent,
 * their offsets free to move on.
 */
final class InvalidRecords {
    private final DeadLettering deadLettering;
    private final String outcomesTopic;

    InvalidRecords(DeadLettering deadLettering, String outcomesTopic) {
        this.deadLettering = deadLettering;
        this.outcomesTopic = outcomesTopic;
    }

    /** A record that is no valid command: dead-lettered as invalid, never sent. */
    LedgerChange invalid(Delivery delivery, Validation.Invalid invalid) {
        return invalid(delivery, invalid, invalid.commandId().orElse(null), invalid.summary(), false);
    }

    /** A parked command whose Kafka value no longer reads as a command: dead-lettered once, by its parked id. */
    LedgerChange invalidParked(Delivery delivery, Validation.Invalid invalid, String commandId) {
        return invalid(
                delivery, invalid, commandId, "parked, it no longer reads as a command: " + invalid.summary(), true);
    }

    /**
     * Dead-lettered as invalid with {@code reason}; a record with an id ends its command, announced, unless the ledger
     * has the id as another record's command: then it is dead-lettered beside it, which it leaves as it is, and
     * announces nothing (a consumer of the outcomes keyed on the id would take it for the command's).
     */
    private LedgerChange invalid(
            Delivery delivery, Validation.Invalid invalid, String commandId, String reason, boolean parked) {
        var type = type(invalid);
        var key = RecordKeys.text(delivery.key());
        var source = delivery.source();
        var ref = new CommandRef(commandId, type, key, null, null, null);
        if (commandId == null) {
            var change = LedgerChange.ended(ref, source, new Guard.None(), CommandStatus.DEAD_LETTERED)
                    .withError(reason, ErrorClass.INVALID);
            deadLettering.deadLetter(change, delivery, ErrorClass.INVALID, reason, 0, null);
            return change;
        }
        var beside = LedgerChange.beside(ref, source, parked);
        deadLettering.deadLetter(
                beside,
                delivery,
                ErrorClass.INVALID,
                reason + "; command id " + commandId + " belongs to a command the ledger already has, left as it is",
                0,
                null);
        var change = LedgerChange.invalid(ref, source, parked, beside).withError(reason, ErrorClass.INVALID);
        deadLettering.deadLetter(change, delivery, ErrorClass.INVALID, reason, 0, null);
        return change.announcing(OutcomeEvents.event(
                outcomesTopic,
                commandId,
                type,
                CommandStatus.DEAD_LETTERED.wireName(),
                0,
                null,
                Map.of(),
                null,
                new OutcomeEvents.Error(ErrorClass.INVALID, reason, null)));
    }

    /**
     * A record PostgreSQL refused to store for what it holds, in a way no check foresaw: dead-lettered as invalid with
     * PostgreSQL's reason, by its bytes alone (no command row, no outcome event), so that it cannot be refused again.
     */
    LedgerChange unstorable(Delivery delivery, String reason) {
        var validation = delivery.validation();
        var commandId = validation instanceof Validation.Valid valid
                ? valid.command().commandId()
                : ((Validation.Invalid) validation).commandId().orElse(null);
        var why = (commandId == null ? "the record" : "command " + commandId)
                + " could not be stored; PostgreSQL refused it (" + reason + ")";
        var source = delivery.source();
        var change = LedgerChange.ended(
                        new CommandRef(null, type(validation), "", null, null, null),
                        source,
                        new Guard.None(),
                        CommandStatus.DEAD_LETTERED)
                .withError(why, ErrorClass.INVALID);
        deadLettering.deadLetter(change, delivery, ErrorClass.INVALID, why, 0, null);
        return change;
    }

    /** The type a dead letter names: the command's, else a known type the record names, else {@code unknown}. */
    private static String type(Validation validation) {
        if (validation instanceof Validation.Valid valid) {
            return valid.command().type().wireName();
        }
        return ((Validation.Invalid) validation)
                .type()
                .filter(t -> CommandType.fromWireName(t).isPresent())
                .orElse("unknown");
    }
}
