package io.herald.process;

import io.herald.campaign.CampaignFanOut;
import io.herald.command.Policy;
import io.herald.command.RetryPolicy;
import io.herald.command.Timer;
import io.herald.config.HeraldConfig;
import io.herald.consume.RecordHandler;
import io.herald.observe.Metrics;
import io.herald.oneall.OneAll;
import io.herald.store.LedgerWriter;
import io.herald.store.ParkedCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/** The processing of commands, wired: what a worker's composition root builds once and hands to its poll loop. */
public final class Processing {
    /** Added to the call timeout before a claim found in flight counts as lost. */
    static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(5);

    private final CommandHandler handler;
    private final CredentialsGate siteKeys;

    public Processing(
            HeraldConfig config,
            LedgerWriter ledger,
            ParkedCommands parked,
            OneAll client,
            CampaignFanOut campaigns,
            Metrics metrics,
            Timer timer,
            Clock clock,
            String workerId,
            Executor database,
            io.herald.observe.Tracing tracing) {
        var retries = config.retries();
        var policy = new Policy(
                RetryPolicy.maxAttempts(retries.maxAttempts())
                        .exponentialBackoff(retries.backoff(), retries.maxBackoff())
                        .withJitter()
                        .honouringRetryAfterUpTo(retries.retryAfterMax()),
                retries.onUnknownOutcome(),
                config.oneall().timeout(),
                IN_FLIGHT_GRACE,
                retries.identityHold());
        var slots = new CallSlots(
                config.oneall().maxInFlight(),
                config.oneall().rateLimits(),
                retries.retryAfterMax(),
                config.oneall().drainTimeout(),
                timer,
                metrics);
        this.siteKeys = new CredentialsGate();
        siteKeys.connect(client, timer);
        var recording =
                new Recording(config.kafka().deadLetterTopic(), config.kafka().outcomesTopic(), workerId, clock);
        var executorMetrics = new ExecutorMetrics(metrics);
        var executor = new io.herald.process.Executor(
                ledger,
                client,
                slots,
                new LostCalls(client, slots, timer, config.oneall().timeout()),
                siteKeys,
                recording,
                policy,
                timer,
                clock,
                workerId,
                executorMetrics,
                new AttemptTraces(tracing, clock));
        this.handler = new CommandHandler(executor, campaigns, ledger, parked, recording, executorMetrics, database);
    }

    public RecordHandler handler() {
        return handler;
    }

    /** False while OneAll rejects the site's keys (the worker pauses and reports not ready). */
    public boolean siteKeysAccepted() {
        return siteKeys.open();
    }

    public String siteKeysProblem() {
        return siteKeys.reason();
    }
}
