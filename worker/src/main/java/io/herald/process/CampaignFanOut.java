package io.herald.process;

import io.herald.config.HeraldConfig;
import io.herald.observe.Metrics;
import io.herald.route.Publisher;
import io.herald.schema.Command;
import io.herald.store.CampaignStore;
import io.herald.store.ClaimRequest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code campaign} command fanned out onto the commands topic: the campaign's publisher gets a
 * {@code publish}, every other recipient a {@code republish} of the message once it exists.
 *
 * <p>It makes no call to OneAll itself. Between its steps the part waits in the ledger like a command
 * waiting for a retry (its offset committed, drained when due): while the message is being published,
 * and while the campaign's window is full, so that a large campaign never puts more than
 * {@code HERALD_CAMPAIGN_WINDOW} of its recipients ahead of other applications' commands. Fan-out
 * progress is kept per part after Kafka acknowledged each chunk, and the ids are deterministic, so a
 * crash or a redelivery re-sends at most one chunk, which the ledger then recognises as duplicates.
 */
final class CampaignFanOut implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CampaignFanOut.class);
    /** Recipients produced per step; the campaign's state is read again between two chunks. */
    static final int CHUNK = 500;
    /** Chunks per turn before the part lets its partition's scheduler run (and notice a revocation). */
    private static final int CHUNKS_PER_TURN = 4;
    private static final Duration WINDOW_FULL_WAIT = Duration.ofMillis(250);
    private static final Duration MESSAGE_WAIT = Duration.ofMillis(500);
    private static final Duration STALLED_WAIT = Duration.ofSeconds(30);
    private static final Duration DATABASE_RETRY = Duration.ofSeconds(1);

    private final HeraldConfig config;
    private final CampaignStore store;
    private final Publisher publisher;
    private final Endings endings;
    private final Metrics metrics;
    private final CommandProcessor.Timer timer;
    private final Clock clock;
    private final ExecutorService database = Executors.newFixedThreadPool(2, runnable -> {
        var thread = new Thread(runnable, "herald-campaigns");
        thread.setDaemon(true);
        return thread;
    });

    CampaignFanOut(HeraldConfig config, CampaignStore store, Publisher publisher, Endings endings, Metrics metrics,
            CommandProcessor.Timer timer, Clock clock) {
        this.config = config;
        this.store = store;
        this.publisher = publisher;
        this.endings = endings;
        this.metrics = metrics;
        this.timer = timer;
        this.clock = clock;
    }

    CompletionStage<Disposition> process(ConsumerRecord<byte[], byte[]> record, Command.Campaign campaign, ClaimRequest claim) {
        var part = new CampaignStore.Part(claim, campaign.campaignId(), campaign.parts().toString(), campaign.recipientOffset(),
                campaign.recipients().size());
        return step(record, campaign, part, 0);
    }

    private CompletionStage<Disposition> step(ConsumerRecord<byte[], byte[]> record, Command.Campaign campaign,
            CampaignStore.Part part, int turn) {
        return database(() -> store.next(part, config.campaigns().window(), CHUNK)).thenCompose(step -> {
            if (step instanceof CampaignStore.Step.AlreadyFannedOut) {
                return CompletableFuture.completedFuture(Disposition.DONE);
            } else if (step instanceof CampaignStore.Step.Cancelled) {
                log.info("campaign {}: part {} cancelled", campaign.campaignId(), campaign.commandId());
                return end(campaign, part, "cancelled", "the campaign was cancelled");
            } else if (step instanceof CampaignStore.Step.Publish publish) {
                return publish(record, campaign, part, publish.index(), turn);
            } else if (step instanceof CampaignStore.Step.AwaitMessage await) {
                if (await.stalled()) {
                    log.warn("campaign {} is stalled: {}", campaign.campaignId(), await.reason());
                }
                return waitInLedger(record, part, await.stalled() ? STALLED_WAIT : MESSAGE_WAIT, "waiting for " + await.reason());
            } else if (step instanceof CampaignStore.Step.WindowFull full) {
                return waitInLedger(record, part, WINDOW_FULL_WAIT,
                        full.outstanding() + " recipients on their way; the window is " + config.campaigns().window());
            }
            var fanOut = (CampaignStore.Step.FanOut) step;
            return fanOut(campaign, fanOut).thenCompose(sent -> database(() -> {
                store.fannedOut(part, fanOut.to());
                return sent;
            })).thenCompose(sent -> {
                if (fanOut.to() == part.recipients()) {
                    log.info("campaign {}: part {} fanned out ({} recipients)", campaign.campaignId(), campaign.commandId(),
                            part.recipients());
                    return end(campaign, part, "succeeded", null);
                }
                return turn + 1 < CHUNKS_PER_TURN ? step(record, campaign, part, turn + 1)
                        : waitInLedger(record, part, Duration.ZERO, "fanning out");
            });
        });
    }

    private CompletionStage<Disposition> publish(ConsumerRecord<byte[], byte[]> record, Command.Campaign campaign,
            CampaignStore.Part part, int index, int turn) {
        log.info("campaign {}: recipient {} publishes the message", campaign.campaignId(), campaign.recipientCommandId(index));
        metrics.increment("herald_campaign_publishes_total", "publish commands sent for campaigns (one per campaign, more when one fails for good)");
        return publisher.send(FanOutCommands.publish(config.commandsTopic(), campaign, index))
                .thenCompose(sent -> database(() -> {
                    store.publishSent(campaign.campaignId());
                    return sent;
                }))
                .thenCompose(sent -> step(record, campaign, part, turn));
    }

    /** Produces one chunk of re-publishes and completes when Kafka acknowledged all of them. */
    private CompletionStage<Integer> fanOut(Command.Campaign campaign, CampaignStore.Step.FanOut fanOut) {
        var publishers = new HashSet<>(fanOut.publisherIds());
        var sends = new ArrayList<CompletableFuture<?>>(fanOut.to() - fanOut.from());
        for (int index = fanOut.from(); index < fanOut.to(); index++) {
            if (publishers.contains(campaign.recipientCommandId(index))) {
                continue;
            }
            ProducerRecord<byte[], byte[]> command = FanOutCommands.republish(config.commandsTopic(), campaign, index, fanOut.token());
            sends.add(publisher.send(command).toCompletableFuture());
        }
        metrics.add("herald_campaign_fanned_out_total", "campaign recipients produced as re-publish commands", sends.size());
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(ignored -> sends.size());
    }

    /** The part waits in the ledger, its Kafka value kept, until {@code delay} has passed. */
    private CompletionStage<Disposition> waitInLedger(ConsumerRecord<byte[], byte[]> record, CampaignStore.Part part, Duration delay,
            String reason) {
        var due = clock.instant().plus(delay);
        return database(() -> {
            store.partRow(part.command(), "pending", record.value(), due, reason);
            return new Disposition.Parked(due);
        });
    }

    private CompletionStage<Disposition> end(Command.Campaign campaign, CampaignStore.Part part, String status, String reason) {
        return database(() -> {
            store.partRow(part.command(), status, null, null, reason);
            return status;
        }).thenCompose(ignored -> endings.announce(campaign, status, 0, null, null)).thenApply(ignored -> Disposition.DONE);
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs database work off the caller's thread; retried while the database is out of reach, as the ledger's batches are. */
    private <T> CompletionStage<T> database(Work<T> work) {
        var result = new CompletableFuture<T>();
        attempt(work, result);
        return result;
    }

    private <T> void attempt(Work<T> work, CompletableFuture<T> result) {
        database.execute(() -> {
            try {
                result.complete(work.run());
            } catch (SQLException | AssertionError e) {
                log.warn("campaign store unavailable ({}); retrying in {} ms", e.getMessage(), DATABASE_RETRY.toMillis());
                timer.schedule(DATABASE_RETRY, () -> attempt(work, result));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    @Override
    public void close() {
        database.shutdownNow();
    }
}
