package io.herald.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.ErrorClass;
import io.herald.command.Outcome;
import io.herald.config.HeraldConfig;
import io.herald.observe.Metrics;
import io.herald.route.DeadLetters;
import io.herald.route.OutcomeEvents;
import io.herald.route.Publisher;
import io.herald.schema.Command;
import io.herald.schema.CommandType;
import io.herald.schema.Validation;
import io.herald.store.Ledger;
import io.herald.store.OutcomeRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a command ends: its outcome recorded in the ledger, then announced on the outcomes topic; a dead
 * letter recorded, sent to the dead-letter topic with its provenance, then announced. Each stage
 * completes once everything about it is durable.
 */
final class Endings {
    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

    private final HeraldConfig config;
    private final Ledger ledger;
    private final Publisher publisher;
    private final Metrics metrics;
    private final Clock clock;

    Endings(HeraldConfig config, Ledger ledger, Publisher publisher, Metrics metrics, Clock clock) {
        this.config = config;
        this.ledger = ledger;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    CompletionStage<Void> finish(ConsumerRecord<byte[], byte[]> record, Command command, int attempts, Outcome outcome,
            OutcomeRecord.AttemptRecord attemptRecord, OutcomeRecord.Effect effect) {
        var result = outcome instanceof Outcome.Succeeded s ? s.result() : ((Outcome.Partial) outcome).result();
        var lastError = outcome instanceof Outcome.Partial p ? p.reason() : null;
        var recorded = ledgerRecord(command, outcome.status(), attemptRecord, lastError, null, result, null, effect, null);
        return ledger.record(recorded).thenCompose(ignored -> announce(command, outcome.status(), attempts, result, null));
    }

    CompletionStage<Void> invalid(ConsumerRecord<byte[], byte[]> record, Validation.Invalid invalid) {
        var commandId = invalid.commandId().orElse(null);
        var type = invalid.type().filter(t -> CommandType.fromWireName(t).isPresent()).orElse("unknown");
        return deadLetter(record, commandId, type, null, null, 0, ErrorClass.INVALID, invalid.summary(), null, null, true);
    }

    CompletionStage<Void> deadLetter(ConsumerRecord<byte[], byte[]> record, Command command, int attempts,
            ErrorClass errorClass, String reason, Integer httpStatus, OutcomeRecord.AttemptRecord attemptRecord) {
        return deadLetter(record, command.commandId(), command.type().wireName(), command.envelope().campaignId().orElse(null),
                command, attempts, errorClass, reason, httpStatus, attemptRecord, attemptRecord == null && attempts == 0);
    }

    CompletionStage<Void> deadLetter(ConsumerRecord<byte[], byte[]> record, String commandId, String type, String campaignId,
            Command command, int attempts, ErrorClass errorClass, String reason, Integer httpStatus,
            OutcomeRecord.AttemptRecord attemptRecord, boolean insertCommand) {
        var failedAt = clock.instant();
        var headers = DeadLetters.headers(record, errorClass, reason, attempts, httpStatus, failedAt);
        var letter = DeadLetters.record(record, headers, errorClass, attempts, httpStatus, failedAt);
        var routingKey = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        var recorded = new OutcomeRecord(commandId, type, routingKey, campaignId, "dead_lettered", attemptRecord, reason,
                errorClass.wireName(), null, null, null, letter, insertCommand, null);
        metrics.increment("herald_dead_letters_total", "commands dead-lettered, by error class", "class", errorClass.wireName());
        if (errorClass == ErrorClass.INVALID) {
            log.warn("dead-lettered invalid record {}-{}@{} (command {}): {}", record.topic(), record.partition(), record.offset(),
                    commandId, reason);
        } else {
            log.error("dead-lettered command {} (key {}) as {} after {} attempt(s): {}", commandId, routingKey,
                    errorClass.wireName(), attempts, reason);
        }
        return ledger.record(recorded)
                .thenCompose(ignored -> publisher.send(DeadLetters.producerRecord(config.deadLetterTopic(), record, headers)))
                .thenCompose(ignored -> commandId == null ? CompletableFuture.<Void>completedFuture(null)
                        : announce(commandId, type, campaignId, command == null ? Map.of() : command.envelope().metadata(),
                                "dead_lettered", attempts, null, new OutcomeEvents.Error(errorClass, reason, httpStatus)));
    }

    CompletionStage<Void> announce(Command command, String status, int attempts, JsonNode result, OutcomeEvents.Error error) {
        return announce(command.commandId(), command.type().wireName(), command.envelope().campaignId().orElse(null),
                command.envelope().metadata(), status, attempts, result, error);
    }

    CompletionStage<Void> announce(String commandId, String type, String campaignId, Map<String, String> metadata,
            String status, int attempts, JsonNode result, OutcomeEvents.Error error) {
        metrics.increment("herald_outcomes_total", "commands ended, by type and status", "type", type, "status", status);
        return publisher.send(OutcomeEvents.event(config.outcomesTopic(), commandId, type, status, attempts, campaignId, metadata,
                result, error)).thenApply(ignored -> null);
    }

    static OutcomeRecord ledgerRecord(Command command, String status, OutcomeRecord.AttemptRecord attempt, String lastError,
            String lastErrorClass, JsonNode result, Instant nextAttemptAt, OutcomeRecord.Effect effect,
            OutcomeRecord.DeadLetterRecord deadLetter) {
        return new OutcomeRecord(command.commandId(), command.type().wireName(), command.routingKey(),
                command.envelope().campaignId().orElse(null), status, attempt, lastError, lastErrorClass, result, nextAttemptAt,
                effect, deadLetter, false, null);
    }

}
