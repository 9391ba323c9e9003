package io.herald.process;

import io.herald.campaign.CampaignFanOut;
import io.herald.command.Policy;
import io.herald.command.RetryPolicy;
import io.herald.command.Timer;
import io.herald.config.HeraldConfig;
import io.herald.consume.RecordHandler;
import io.herald.observe.Metrics;
import io.herald.observe.Tracing;
import io.herald.oneall.OneAll;
import io.herald.store.Ledger;
import io.herald.store.MessageOwners;
import io.herald.store.ParkedCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The processing's half of a worker's composition root ({@code io.herald.WorkerModule} extends it and gives it what it
 * stands on: the configuration, the ledger, OneAll, time, the observers). Each part is built once, the first time it
 * is asked for, through an accessor a test may override (as parallel-consumer's {@code PCModule}). Used by the thread
 * that starts the worker.
 */
public abstract class ProcessingModule {
    /** Added to the call timeout before a claim found in flight counts as lost. */
    static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(5);

    private CallSlots slots;
    private CredentialsGate siteKeys;
    private Recording recording;
    private ExecutorMetrics executorMetrics;
    private RecordHandler handler;

    protected abstract HeraldConfig config();

    protected abstract String workerId();

    protected abstract Metrics metrics();

    protected abstract Tracing tracing();

    protected abstract Clock clock();

    protected abstract Timer timer();

    protected abstract Ledger ledger();

    /** OneAll as the processing calls it. */
    protected abstract OneAll oneAll();

    protected abstract CampaignFanOut campaigns();

    protected abstract ParkedCommands parked();

    /** The ledger's record of other commands' messages, for a lost publish's read-back. */
    protected abstract MessageOwners messageOwners();

    /** Where the ledger's parked commands are read (off the threads that complete the calls and the writes). */
    protected abstract Executor database();

    protected Policy policy() {
        var retries = config().retries();
        return new Policy(
                RetryPolicy.maxAttempts(retries.maxAttempts())
                        .exponentialBackoff(retries.backoff(), retries.maxBackoff())
                        .withJitter()
                        .honouringRetryAfterUpTo(retries.retryAfterMax()),
                retries.onUnknownOutcome(),
                config().oneall().timeout(),
                IN_FLIGHT_GRACE,
                retries.identityHold());
    }

    CallSlots slots() {
        if (slots == null) {
            var oneall = config().oneall();
            slots = new CallSlots(
                    oneall.maxInFlight(),
                    oneall.rateLimits(),
                    config().retries().retryAfterMax(),
                    oneall.drainTimeout(),
                    timer(),
                    metrics());
        }
        return slots;
    }

    /** Whether OneAll accepts the site's keys (false: the worker pauses and reports not ready); pinged once built. */
    public CredentialsGate siteKeys() {
        if (siteKeys == null) {
            siteKeys = new CredentialsGate();
            siteKeys.connect(oneAll(), timer());
        }
        return siteKeys;
    }

    Recording recording() {
        if (recording == null) {
            var kafka = config().kafka();
            recording = new Recording(kafka.deadLetterTopic(), kafka.outcomesTopic(), workerId(), clock());
        }
        return recording;
    }

    ExecutorMetrics executorMetrics() {
        if (executorMetrics == null) {
            executorMetrics = new ExecutorMetrics(metrics());
        }
        return executorMetrics;
    }

    io.herald.process.Executor executor() {
        return new io.herald.process.Executor(
                new io.herald.process.Executor.Peers(
                        ledger(),
                        oneAll(),
                        slots(),
                        new LostCalls(
                                oneAll(), slots(), timer(), config().oneall().timeout(), otherCommands()),
                        siteKeys()),
                new io.herald.process.Executor.Rules(policy(), recording(), timer(), clock(), workerId()),
                new io.herald.process.Executor.Observers(executorMetrics(), new AttemptTraces(tracing(), clock())));
    }

    /** The ledger's record of other commands around a lost publish, read where the parked commands are. */
    LostCalls.Ledgered otherCommands() {
        var owners = messageOwners();
        var database = database();
        return (commandId, target, tokens, from) -> java.util.concurrent.CompletableFuture.supplyAsync(
                () -> owners.around(commandId, target, tokens, from), database);
    }

    /** The processing contract the poll loop drives. */
    public RecordHandler handler() {
        if (handler == null) {
            handler = new CommandHandler(
                    executor(), campaigns(), ledger(), parked(), recording(), executorMetrics(), database());
        }
        return handler;
    }
}
