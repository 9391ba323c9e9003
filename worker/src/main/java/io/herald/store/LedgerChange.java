package io.herald.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One change of a command's ledger row, with everything that goes in the same transaction: its attempt, what
 * OneAll did (for the reporting tables), its dead letter, its outcome events, its place in the parking table.
 * Built with the factories and {@code with...} methods; a change applies only while its {@link Guard} holds.
 */
public final class LedgerChange {
    /** When the change may apply. */
    public sealed interface Guard {
        /** While the command is {@code in_flight} under this claim: another worker may have settled it since. */
        record Claim(String token) implements Guard {}

        /** While the command is {@code pending}, or has no row yet (it is inserted). */
        record Pending() implements Guard {}

        /** While the command is dead-lettered as an unknown outcome of this very attempt: a late answer corrects it. */
        record LostCall(int attempt) implements Guard {}

        /**
         * While the command is dead-lettered as an unknown outcome of this very attempt, which its worker knows it never
         * sent: the command becomes {@code pending} again and its dead letter superseded.
         */
        record Unsent(int attempt) implements Guard {}

        /** No command row: a record that is no command at all (unreadable bytes), whose dead letter has no id. */
        record None() implements Guard {}

        /**
         * Nothing of the command's own: a record that reuses its id with another body is dead-lettered beside it, and
         * its row, outcome and campaign count stay as they are. {@code parked}: the record came from the parking table
         * (it was parked before its command was recorded), whose row of it goes.
         */
        record Beside(boolean parked) implements Guard {}

        /**
         * A record that does not read as a command, under the id it names: the command ends while the id is new, or
         * while its row is pending and the record's own ({@code parked}: the record came from the parking table, whose
         * row is its command's; else the row names the record's place). A row of another record's command stays as it
         * is: the change's {@link #beside} change applies instead. The record's own row ended (an earlier delivery of it
         * recorded it) takes nothing.
         */
        record Invalid(boolean parked) implements Guard {}
    }

    /** A command that heads its account in the parking table (or waits on its own) until {@code dueAt}, with its record's headers. */
    public record Park(byte[] payload, Instant dueAt, boolean scheduled, RecordHeaders headers) {
        public Park {
            Objects.requireNonNull(payload, "a parked command keeps its Kafka value");
            headers = headers == null ? RecordHeaders.NONE : headers;
        }

        public Park(byte[] payload, Instant dueAt, boolean scheduled) {
            this(payload, dueAt, scheduled, RecordHeaders.NONE);
        }
    }

    final CommandRef command;
    final Source source;
    final Guard guard;
    final CommandStatus status;
    AttemptEntry attempt;
    String lastError;
    ErrorClass lastErrorClass;
    JsonNode result;
    Instant nextAttemptAt;
    JsonNode progress;
    boolean releaseClaim;
    Park park;
    Effects effects;
    DeadLetterRow deadLetter;
    IdentityHoldRow hold;
    final List<OutboxMessage> outbox = new ArrayList<>();
    /** What applies instead of an {@link Guard.Invalid} change when its id is another record's command. */
    LedgerChange beside;

    private LedgerChange(CommandRef command, Source source, Guard guard, CommandStatus status) {
        this.command = command;
        this.source = source;
        this.guard = guard;
        this.status = status;
    }

    /** A record dead-lettered beside its command, which it does not change ({@link Guard.Beside}). */
    public static LedgerChange beside(CommandRef command, Source source, boolean parked) {
        return new LedgerChange(command, source, new Guard.Beside(parked), CommandStatus.DEAD_LETTERED);
    }

    /**
     * A record that does not read as a command, under the id it names: {@code dead_lettered} ({@link Guard.Invalid}),
     * or, when the id is another record's command, {@code beside} (a {@link #beside(CommandRef, Source, boolean)}
     * change) instead.
     */
    public static LedgerChange invalid(CommandRef command, Source source, boolean parked, LedgerChange beside) {
        if (!(beside.guard instanceof Guard.Beside)) {
            throw new IllegalArgumentException("an invalid record's alternative is dead-lettered beside its command");
        }
        var change = new LedgerChange(command, source, new Guard.Invalid(parked), CommandStatus.DEAD_LETTERED);
        change.beside = beside;
        return change;
    }

    /** The command ends ({@code succeeded}, {@code partial}, {@code dead_lettered}, {@code cancelled}). */
    public static LedgerChange ended(CommandRef command, Source source, Guard guard, CommandStatus status) {
        if (!status.ended()) {
            throw new IllegalArgumentException(status + " is not an end");
        }
        return new LedgerChange(command, source, guard, status);
    }

    /** The command waits ({@code pending}) until {@code dueAt}, parked with its Kafka value when {@code park} is given. */
    public static LedgerChange waiting(CommandRef command, Source source, Guard guard, Instant dueAt) {
        var change = new LedgerChange(command, source, guard, CommandStatus.PENDING);
        change.nextAttemptAt = dueAt;
        return change;
    }

    /** The claim is given back ({@code pending} again, ready to be claimed at once); {@code sent} false: no call was made. */
    public static LedgerChange reopened(CommandRef command, Source source, Guard guard, boolean sent) {
        var change = new LedgerChange(command, source, guard, CommandStatus.PENDING);
        change.releaseClaim = !sent;
        return change;
    }

    public LedgerChange withAttempt(AttemptEntry attempt) {
        this.attempt = attempt;
        return this;
    }

    public LedgerChange withError(String lastError, ErrorClass lastErrorClass) {
        this.lastError = lastError;
        this.lastErrorClass = lastErrorClass;
        return this;
    }

    public LedgerChange withResult(JsonNode result) {
        this.result = result;
        return this;
    }

    /** What the command achieved so far, for its next attempt; without it the row keeps the progress it had. */
    public LedgerChange withProgress(JsonNode progress) {
        this.progress = progress;
        return this;
    }

    public LedgerChange parked(Park park) {
        this.park = park;
        return this;
    }

    public LedgerChange withEffects(Effects effects) {
        this.effects = effects;
        return this;
    }

    public LedgerChange withDeadLetter(DeadLetterRow deadLetter) {
        this.deadLetter = deadLetter;
        return this;
    }

    public LedgerChange holdingIdentity(IdentityHoldRow hold) {
        this.hold = hold;
        return this;
    }

    /** A Kafka record sent once the change is committed (at least once). */
    public LedgerChange announcing(OutboxMessage message) {
        this.outbox.add(message);
        return this;
    }

    public CommandRef command() {
        return command;
    }

    public CommandStatus status() {
        return status;
    }

    public Guard guard() {
        return guard;
    }

    public Park park() {
        return park;
    }

    public DeadLetterRow deadLetter() {
        return deadLetter;
    }

    public AttemptEntry attempt() {
        return attempt;
    }

    public String lastError() {
        return lastError;
    }

    /** The Kafka records that go out with the change. */
    public List<OutboxMessage> outbox() {
        return List.copyOf(outbox);
    }

    /**
     * A beside change whose dead letter an earlier delivery of its record wrote: without it (and its dead-letter topic
     * record, a beside change's one message); what is left is its leaving the parking table, when it came from there.
     */
    LedgerChange alreadyLettered() {
        if (!(guard instanceof Guard.Beside)) {
            throw new IllegalStateException("only a change beside its command is written once per place");
        }
        return new LedgerChange(command, source, guard, status);
    }

    /** Whether the command leaves the parking table with this change: it ends, or its parked record is refused. */
    boolean unparks() {
        return status.ended()
                && command.commandId() != null
                && !(guard instanceof Guard.Beside beside && !beside.parked());
    }

    /** Whether this change ends a recipient of a campaign (its campaign counts ended recipients). */
    boolean endsCampaignRecipient() {
        return status.ended()
                && (guard instanceof Guard.Claim || guard instanceof Guard.Pending)
                && command.campaignId() != null
                && (command.type().equals("publish") || command.type().equals("republish"))
                && command.commandId().startsWith(command.campaignId() + ":");
    }

    /** A dead letter as the {@code dead_letters} table keeps it: the original record and its provenance. */
    public record DeadLetterRow(
            byte[] key,
            byte[] value,
            String headersJson,
            ErrorClass errorClass,
            String error,
            Integer httpStatus,
            int attempts,
            Instant failedAt,
            RecordHeaders recordHeaders) {
        public DeadLetterRow {
            recordHeaders = recordHeaders == null ? RecordHeaders.NONE : recordHeaders;
        }
    }

    /** An identity whose commands wait because OneAll refused its credentials. */
    public record IdentityHoldRow(
            String routingKey, String commandId, Integer httpStatus, String reason, Instant expiresAt) {}
}
