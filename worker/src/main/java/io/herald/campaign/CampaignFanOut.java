package io.herald.campaign;

import io.herald.command.CommandStatus;
import io.herald.command.Decide;
import io.herald.command.Decision;
import io.herald.command.Event;
import io.herald.command.Timer;
import io.herald.consume.Delivery;
import io.herald.consume.Disposition;
import io.herald.observe.CommandLog;
import io.herald.observe.Metrics;
import io.herald.route.OutcomeEvents;
import io.herald.route.Publisher;
import io.herald.schema.Command;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import io.herald.store.CommandRef;
import io.herald.store.Ledger;
import io.herald.store.LedgerChange;
import io.herald.store.LedgerWriter;
import io.herald.store.Orphans;
import io.herald.store.ParkRequest;
import io.herald.store.Source;
import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code campaign} command fanned out onto the commands topic: the campaign's publisher gets a {@code publish}, every
 * other recipient a {@code republish} of the message once it exists.
 *
 * <p>It makes no call to OneAll itself. Between its steps the part waits in the ledger like a command waiting for a
 * retry (its offset committed, drained when due): while the message is being published, and while the campaign's
 * window is full, so that a large campaign never puts more than {@code HERALD_CAMPAIGN_WINDOW} of its recipients
 * ahead of other applications' commands. Fan-out progress is kept per part after Kafka acknowledged each chunk, and
 * the ids are deterministic, so a crash or a redelivery re-sends at most one chunk, which the ledger then recognises
 * as duplicates.
 */
public final class CampaignFanOut implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CampaignFanOut.class);
    private static final CommandLog partLog = CommandLog.of(log);
    /** Recipients produced per step; the campaign's state is read again between two chunks. */
    static final int CHUNK = 500;
    /** Chunks per turn before the part lets its partition's scheduler run (and notice a revocation). */
    private static final int CHUNKS_PER_TURN = 4;

    private static final Duration WINDOW_FULL_WAIT = Duration.ofMillis(250);
    private static final Duration MESSAGE_WAIT = Duration.ofMillis(500);
    private static final Duration STALLED_WAIT = Duration.ofSeconds(30);
    private static final Duration DATABASE_RETRY = Duration.ofSeconds(1);

    private final CampaignStore store;
    private final Ledger ledger;
    private final Publisher publisher;
    private final String commandsTopic;
    private final String outcomesTopic;
    private final int window;
    private final Metrics metrics;
    private final Timer timer;
    private final Clock clock;
    private final CommandReader reader = new CommandReader();
    private final ExecutorService database = Executors.newFixedThreadPool(2, runnable -> {
        var thread = new Thread(runnable, "herald-campaigns");
        thread.setDaemon(true);
        return thread;
    });

    public CampaignFanOut(
            Jdbc jdbc,
            Ledger ledger,
            Publisher publisher,
            String commandsTopic,
            String outcomesTopic,
            int window,
            Metrics metrics,
            Timer timer,
            Clock clock) {
        this.store = new CampaignStore(jdbc);
        this.ledger = ledger;
        this.publisher = publisher;
        this.commandsTopic = commandsTopic;
        this.outcomesTopic = outcomesTopic;
        this.window = window;
        this.metrics = metrics;
        this.timer = timer;
        this.clock = clock;
    }

    public CompletionStage<Disposition> process(Delivery delivery, Command.Campaign campaign) {
        var part = new CampaignStore.Part(
                campaign.commandId(),
                campaign.campaignId(),
                campaign.parts().toString(),
                campaign.recipientOffset(),
                campaign.recipients().size());
        return step(delivery, campaign, part, 0);
    }

    private CompletionStage<Disposition> step(
            Delivery delivery, Command.Campaign campaign, CampaignStore.Part part, int turn) {
        return database(() -> store.next(part, window, CHUNK)).thenCompose(step -> {
            if (step instanceof CampaignStore.Step.AlreadyFannedOut) {
                // a duplicate of an ended part changes nothing; a part a crash stopped before its end ends now
                return end(delivery, campaign, CommandStatus.SUCCEEDED, null);
            } else if (step instanceof CampaignStore.Step.Cancelled) {
                partLog.info(
                        about(delivery, campaign),
                        "campaign {}: part {} cancelled",
                        campaign.campaignId(),
                        campaign.commandId());
                return end(delivery, campaign, CommandStatus.CANCELLED, "the campaign was cancelled");
            } else if (step instanceof CampaignStore.Step.Publish publish) {
                return publish(delivery, campaign, part, publish.index(), turn);
            } else if (step instanceof CampaignStore.Step.AwaitMessage await) {
                if (await.stalled()) {
                    partLog.warn(
                            about(delivery, campaign),
                            "campaign {} is stalled: {}",
                            campaign.campaignId(),
                            await.reason());
                }
                return waitInLedger(delivery, campaign, await.stalled() ? STALLED_WAIT : MESSAGE_WAIT);
            } else if (step instanceof CampaignStore.Step.WindowFull) {
                return waitInLedger(delivery, campaign, WINDOW_FULL_WAIT);
            }
            var fanOut = (CampaignStore.Step.FanOut) step;
            return fanOut(campaign, fanOut)
                    .thenCompose(sent -> database(() -> {
                        store.fannedOut(part, fanOut.to());
                        return sent;
                    }))
                    .thenCompose(sent -> {
                        if (fanOut.to() == part.recipients()) {
                            partLog.info(
                                    about(delivery, campaign),
                                    "campaign {}: part {} fanned out ({} recipients)",
                                    campaign.campaignId(),
                                    campaign.commandId(),
                                    part.recipients());
                            return end(delivery, campaign, CommandStatus.SUCCEEDED, null);
                        }
                        return turn + 1 < CHUNKS_PER_TURN
                                ? step(delivery, campaign, part, turn + 1)
                                : waitInLedger(delivery, campaign, Duration.ZERO);
                    });
        });
    }

    private CompletionStage<Disposition> publish(
            Delivery delivery, Command.Campaign campaign, CampaignStore.Part part, int index, int turn) {
        partLog.info(
                about(delivery, campaign),
                "campaign {}: recipient {} publishes the message",
                campaign.campaignId(),
                campaign.recipientCommandId(index));
        metrics.increment(
                "herald_campaign_publishes_total",
                "publish commands sent for campaigns (one per campaign, more when one fails for good)");
        return publisher
                .send(FanOutCommands.publish(commandsTopic, campaign, index))
                .thenCompose(sent -> database(() -> {
                    store.publishSent(campaign.campaignId());
                    return sent;
                }))
                .thenCompose(sent -> step(delivery, campaign, part, turn));
    }

    /** Produces one chunk of re-publishes and completes when Kafka acknowledged all of them. */
    private CompletionStage<Integer> fanOut(Command.Campaign campaign, CampaignStore.Step.FanOut fanOut) {
        var publishers = new HashSet<>(fanOut.publisherIds());
        var sends = new ArrayList<CompletableFuture<?>>(fanOut.to() - fanOut.from());
        for (int index = fanOut.from(); index < fanOut.to(); index++) {
            if (!publishers.contains(campaign.recipientCommandId(index))) {
                sends.add(publisher
                        .send(FanOutCommands.republish(commandsTopic, campaign, index, fanOut.token()))
                        .toCompletableFuture());
            }
        }
        metrics.add(
                "herald_campaign_fanned_out_total",
                "campaign recipients produced as re-publish commands",
                sends.size());
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(ignored -> sends.size());
    }

    /** The part waits in the ledger, its Kafka value kept, until {@code delay} has passed. */
    private CompletionStage<Disposition> waitInLedger(Delivery delivery, Command.Campaign campaign, Duration delay) {
        var due = clock.instant().plus(delay);
        var wait = new Decision.Wait(due, false, "the campaign's part waits its turn");
        return ledger.park(new ParkRequest(ref(campaign), delivery.source(), delivery.value(), due, false, false))
                .thenApply(result -> Disposition.of(
                        Decide.written(new Event.Written(wait, result.write())).ending(),
                        campaign.commandId(),
                        campaign.routingKey()));
    }

    private CompletionStage<Disposition> end(
            Delivery delivery, Command.Campaign campaign, CommandStatus status, String reason) {
        return end(delivery.source(), campaign, status, reason).thenApply(result -> Disposition.DONE);
    }

    /**
     * Ends a part that fanned out and was left {@code pending} (a crash between its fan-out and its end), as its own end
     * would have, once; completes with whether this call ended it (false: it had ended, or its record is no campaign).
     */
    public CompletionStage<Boolean> endFannedOut(Orphans.FannedOutPart part) {
        if (!(reader.read(part.payload()) instanceof Validation.Valid valid)
                || !(valid.command() instanceof Command.Campaign campaign)) {
            return CompletableFuture.completedFuture(false);
        }
        var source = new Source(part.topic(), part.partition(), part.offset(), -1);
        return end(source, campaign, CommandStatus.SUCCEEDED, null)
                .thenApply(result -> result == LedgerWriter.Result.APPLIED);
    }

    private CompletionStage<LedgerWriter.Result> end(
            Source source, Command.Campaign campaign, CommandStatus status, String reason) {
        var change = LedgerChange.ended(ref(campaign), source, new LedgerChange.Guard.Pending(), status)
                .withError(reason, null)
                .announcing(OutcomeEvents.event(
                        outcomesTopic,
                        campaign.commandId(),
                        "campaign",
                        status.wireName(),
                        0,
                        campaign.campaignId(),
                        campaign.envelope().metadata(),
                        null,
                        null));
        return ledger.apply(change);
    }

    private static CommandRef ref(Command.Campaign campaign) {
        return new CommandRef(
                campaign.commandId(), "campaign", campaign.routingKey(), campaign.campaignId(), null, null);
    }

    private static CommandLog.About about(Delivery delivery, Command.Campaign campaign) {
        return new CommandLog.About(
                campaign.commandId(), campaign.routingKey(), delivery.partition(), campaign.campaignId());
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs database work off the caller's thread; retried while the database is out of reach or the work times out
     * (a campaign's row held by a transaction that ends within the sessions' timeouts, a slow database).
     */
    private <T> CompletionStage<T> database(Work<T> work) {
        var result = new CompletableFuture<T>();
        attempt(work, result);
        return result;
    }

    private <T> void attempt(Work<T> work, CompletableFuture<T> result) {
        database.execute(() -> {
            try {
                result.complete(work.run());
            } catch (SQLException | RuntimeException | AssertionError e) {
                if (!Jdbc.isOutage(e) && !Jdbc.isLockTimeout(e) && !Jdbc.isStatementTimeout(e)) {
                    result.completeExceptionally(e);
                    return;
                }
                log.warn(
                        "campaign store unavailable ({}); retrying in {} ms",
                        e.getMessage(),
                        DATABASE_RETRY.toMillis());
                timer.schedule(DATABASE_RETRY, () -> attempt(work, result));
            }
        });
    }

    @Override
    public void close() {
        database.shutdownNow();
    }
}
