package io.herald.process;

import io.herald.campaign.CampaignFanOut;
import io.herald.command.BodyDigest;
import io.herald.consume.Delivery;
import io.herald.consume.Disposition;
import io.herald.consume.RecordHandler;
import io.herald.observe.CommandLog;
import io.herald.schema.Command;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import io.herald.store.CommandRef;
import io.herald.store.Ledger;
import io.herald.store.ParkedCommands;
import io.herald.store.WriteRefusedException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Herald's processing contract: a record in, its outcome durable when the stage completes. A record that is no valid
 * command is dead-lettered at once; a campaign fans out; every other command goes through the executor. Parked
 * commands come back here from the ledger, in their account's order.
 */
public final class CommandHandler implements RecordHandler {
    private static final CommandLog log = CommandLog.of(CommandHandler.class);
    private static final int DRAIN_PAGE = 200;

    private final io.herald.process.Executor executor;
    private final CampaignFanOut campaigns;
    private final Ledger ledger;
    private final ParkedCommands parked;
    private final Recording recording;
    private final ExecutorMetrics metrics;
    private final Executor database;
    private final CommandReader reader = new CommandReader();
    private final Map<String, CompletableFuture<Disposition>> active = new ConcurrentHashMap<>();

    CommandHandler(
            io.herald.process.Executor executor,
            CampaignFanOut campaigns,
            Ledger ledger,
            ParkedCommands parked,
            Recording recording,
            ExecutorMetrics metrics,
            Executor database) {
        this.executor = executor;
        this.campaigns = campaigns;
        this.ledger = ledger;
        this.parked = parked;
        this.recording = recording;
        this.metrics = metrics;
        this.database = database;
    }

    @Override
    public CompletionStage<Disposition> handle(Item item) {
        if (item instanceof Consumed consumed) {
            return consumed(consumed.delivery());
        }
        if (item instanceof BehindItsAccount behind) {
            return parkBehind(behind.delivery());
        }
        if (item instanceof Drain drain) {
            return drain(drain);
        }
        return scheduled((Scheduled) item);
    }

    private CompletionStage<Disposition> consumed(Delivery delivery) {
        metrics.consumed();
        return unlessUnstorable(delivery, () -> process(delivery, null));
    }

    private CompletionStage<Disposition> parkBehind(Delivery delivery) {
        metrics.consumed();
        return unlessUnstorable(delivery, () -> parkOrProcess(delivery));
    }

    /**
     * A consumed record whose write PostgreSQL refuses for what it holds, once its batch was written in halves down
     * to that write alone ({@link WriteRefusedException#refusesItsData}), is dead-lettered as invalid with PostgreSQL's
     * reason: it would be refused on every delivery, and its offset, held back, would hold its partition's for ever.
     * Any other failure stays a failure (an outage never gets here: the ledger writer waits it out).
     */
    private CompletionStage<Disposition> unlessUnstorable(
            Delivery delivery, Supplier<CompletionStage<Disposition>> work) {
        return work.get().exceptionallyCompose(error -> {
            var cause = error;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (!(cause instanceof WriteRefusedException refused) || !refused.refusesItsData()) {
                return CompletableFuture.failedFuture(cause);
            }
            log.error(
                    new CommandLog.About(null, null, delivery.partition(), null),
                    "record {}-{}@{}: PostgreSQL refuses to store it ({}); it is dead-lettered as invalid",
                    delivery.topic(),
                    delivery.partition(),
                    delivery.offset(),
                    refused.reason());
            return ledger.apply(recording.invalids().unstorable(delivery, refused.reason()))
                    .thenApply(result -> Disposition.DONE);
        });
    }

    /** A record whose id the ledger knows with another body is not parked but processed: its claim finds the conflict. */
    private CompletionStage<Disposition> parkOrProcess(Delivery delivery) {
        if (!(delivery.validation() instanceof Validation.Valid valid)) {
            return process(delivery, null);
        }
        var command = valid.command();
        return oneAtATime(command.commandId(), () -> executor.parkBehind(new Work(delivery, command, ref(command))));
    }

    private CompletionStage<Disposition> drain(Drain drain) {
        var holding = drain.holding();
        return load(() -> parked.account(
                        drain.topic(), drain.partition(), drain.routingKey(), DRAIN_PAGE, holding.pageBytes()))
                .thenCompose(rows -> {
                    holding.hold(bytes(rows));
                    return drainEach(drain, rows, 0);
                });
    }

    private static long bytes(List<ParkedCommands.Parked> rows) {
        return rows.stream().mapToLong(row -> row.payload().length).sum();
    }

    /** One parked command after the other; the drain stops when one waits again, or the partition is revoked. */
    private CompletionStage<Disposition> drainEach(Drain drain, List<ParkedCommands.Parked> rows, int index) {
        var holding = drain.holding();
        if (rows.isEmpty() || !holding.owned()) {
            return CompletableFuture.completedFuture(Disposition.DONE);
        }
        if (index == rows.size()) {
            // the page is let go before the next is loaded; one cut short by its bytes may have more after it
            long bytes = bytes(rows);
            holding.release(bytes);
            return rows.size() < DRAIN_PAGE && bytes < holding.pageBytes()
                    ? CompletableFuture.completedFuture(Disposition.DONE)
                    : drain(drain);
        }
        var row = rows.get(index);
        return process(
                        delivery(drain.topic(), drain.partition(), drain.epoch(), drain.routingKey(), row),
                        row.commandId())
                .thenCompose(disposition ->
                        disposition instanceof Disposition.Done || disposition instanceof Disposition.Scheduled
                                ? drainEach(drain, rows, index + 1)
                                : CompletableFuture.completedFuture(disposition));
    }

    private CompletionStage<Disposition> scheduled(Scheduled due) {
        return load(() -> parked.one(due.commandId())).thenCompose(row -> {
            if (row.isEmpty() || !due.holding().owned()) {
                return CompletableFuture.completedFuture(Disposition.DONE);
            }
            due.holding().hold(row.get().payload().length);
            return process(delivery(due.topic(), due.partition(), due.epoch(), null, row.get()), due.commandId());
        });
    }

    /** A delivery, from Kafka or from the parking table ({@code parkedId}: the parked command's id, else null). */
    private CompletionStage<Disposition> process(Delivery delivery, String parkedId) {
        if (delivery.validation() instanceof Validation.Invalid invalid) {
            return ledger.apply(
                            parkedId == null
                                    ? recording.invalids().invalid(delivery, invalid)
                                    : recording.invalids().invalidParked(delivery, invalid, parkedId))
                    .thenApply(result -> Disposition.DONE);
        }
        var command = ((Validation.Valid) delivery.validation()).command();
        if (command instanceof Command.Campaign campaign) {
            return campaigns.process(delivery, campaign);
        }
        return oneAtATime(command.commandId(), () -> executor.run(new Work(delivery, command, ref(command))));
    }

    /** Two records of one command id (a duplicate on the topic, or an earlier assignment's work) go one after the other. */
    private CompletionStage<Disposition> oneAtATime(String commandId, Supplier<CompletionStage<Disposition>> work) {
        var mine = new CompletableFuture<Disposition>();
        var previous = active.put(commandId, mine);
        CompletionStage<Void> start =
                previous == null ? CompletableFuture.completedFuture(null) : previous.handle((v, e) -> null);
        start.thenCompose(ignored -> work.get()).whenComplete((disposition, error) -> {
            active.remove(commandId, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(disposition);
            }
        });
        return mine;
    }

    private Delivery delivery(String topic, int partition, long epoch, String routingKey, ParkedCommands.Parked row) {
        return new Delivery(
                topic,
                partition,
                row.offset(),
                routingKey == null ? null : routingKey.getBytes(StandardCharsets.UTF_8),
                row.payload(),
                epoch,
                reader.read(row.payload()),
                row.position(),
                row.headers());
    }

    private <T> CompletionStage<T> load(java.util.function.Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, database);
    }

    static CommandRef ref(Command command) {
        var metadata = command.envelope().metadata();
        return new CommandRef(
                command.commandId(),
                command.type().wireName(),
                command.routingKey(),
                command.envelope().campaignId().orElse(null),
                command instanceof Command.Push push ? push.endpoint().path() : null,
                metadata.isEmpty() ? null : Json.write(metadata),
                // a campaign part keeps no digest: its fan-out keeps its first record (docs/processing.md, "Reused
                // ids")
                command instanceof Command.Campaign ? null : BodyDigest.of(command));
    }

    /** A command's metadata as the ledger keeps it. */
    static final class Json {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        private Json() {}

        static String write(Object value) {
            try {
                return MAPPER.writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
