package io.herald.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.CallResult;
import io.herald.command.Classification;
import io.herald.command.ErrorClass;
import io.herald.command.FailureClassifier;
import io.herald.command.Outcome;
import io.herald.command.RetryPolicy;
import io.herald.config.HeraldConfig;
import io.herald.observe.Metrics;
import io.herald.oneall.OneAllClient;
import io.herald.oneall.OneAllRequest;
import io.herald.oneall.Requests;
import io.herald.route.Publisher;
import io.herald.schema.Command;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import io.herald.store.CampaignStore;
import io.herald.store.Claim;
import io.herald.store.ClaimRequest;
import io.herald.store.Ledger;
import io.herald.store.OutcomeRecord;
import io.herald.store.ParkingLot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald's processing contract: one consumed record in, one recorded outcome out. Claims the command
 * in the ledger, calls OneAll, classifies the answer, and records, retries or dead-letters; the
 * returned stage completes once everything about the record is durable, and only then may its
 * offset be committed. It never completes exceptionally for a bad command or a failed call: those
 * are outcomes.
 */
public final class CommandProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Runs a task after a delay without holding a thread. */
    public interface Timer {
        void schedule(Duration delay, Runnable task);
    }

    private final CommandReader reader = new CommandReader();
    private final HeraldConfig config;
    private final Ledger ledger;
    private final ParkingLot parking;
    private final OneAllClient client;
    private final RetryPolicy retryPolicy;
    private final Metrics metrics;
    private final CredentialsGate credentials;
    private final Clock clock;
    private final String workerId;
    private final AsyncLimiter calls;
    private final OutageBreaker breaker;
    private final Endings endings;
    private final CampaignFanOut campaigns;
    private final Timer timer;
    private final ReadBack.Reads readBacks = new ReadBack.Reads();
    private final Map<String, CompletableFuture<Disposition>> active = new ConcurrentHashMap<>();

    public CommandProcessor(HeraldConfig config, Ledger ledger, ParkingLot parking, CampaignStore campaignStore, OneAllClient client,
            Publisher publisher, Metrics metrics, CredentialsGate credentials, Timer timer, Clock clock, String workerId) {
        this.config = config;
        this.ledger = ledger;
        this.parking = parking;
        this.client = client;
        this.retryPolicy = RetryPolicy.maxAttempts(config.maxAttempts())
                .exponentialBackoff(config.retryBackoff(), config.retryMaxBackoff()).withJitter();
        this.metrics = metrics;
        this.credentials = credentials;
        this.clock = clock;
        this.workerId = workerId;
        this.timer = timer;
        this.calls = new AsyncLimiter(config.maxInFlight());
        this.endings = new Endings(config, ledger, publisher, metrics, clock);
        this.campaigns = new CampaignFanOut(config, campaignStore, publisher, endings, metrics, timer, clock);
        credentials.connect(client, timer);
        this.breaker = new OutageBreaker(20, Duration.ofSeconds(1), Duration.ofSeconds(30), timer);
        metrics.gauge("herald_oneall_breaker_open", "1 while calls wait for OneAll to answer again after an outage",
                () -> breaker.isOpen() ? 1 : 0);
        metrics.gauge("herald_oneall_in_flight", "calls to OneAll under way", calls::held);
        metrics.gauge("herald_oneall_waiting", "commands waiting for a free call slot", calls::waiting);
    }

    public CompletionStage<Disposition> process(ConsumerRecord<byte[], byte[]> record) {
        return whenValid(record, command -> command instanceof Command.Campaign campaign
                ? campaigns.process(record, campaign, claimRequest(record, command))
                : oneAtATime(command.commandId(), () -> attempt(record, command)));
    }

    /**
     * A record of an account whose earlier command waits for a retry: it goes into the ledger behind
     * that command (an invalid one is dead-lettered as usual), so that its offset can be committed and
     * it is sent in its turn.
     */
    public CompletionStage<Disposition> park(ConsumerRecord<byte[], byte[]> record) {
        return whenValid(record, command -> {
            metrics.increment("herald_parked_total", "commands put in the ledger behind a command of their account that waits for a retry");
            return parking.park(new ParkingLot.ParkRequest(claimRequest(record, command), record.value()))
                    .thenApply(parked -> Disposition.DONE);
        });
    }

    /** Dead-letters a record that is no valid command; hands a valid one on. */
    private CompletionStage<Disposition> whenValid(ConsumerRecord<byte[], byte[]> record,
            java.util.function.Function<Command, CompletionStage<Disposition>> next) {
        metrics.increment("herald_commands_consumed_total", "records consumed from the commands topic");
        var validation = reader.read(record.value());
        if (validation instanceof Validation.Invalid invalid) {
            return done(endings.invalid(record, invalid));
        }
        return next.apply(((Validation.Valid) validation).command());
    }

    /** Sends an account's parked commands in offset order, until one has to wait again or none is left. */
    public CompletionStage<Disposition> drain(String topic, int partition, byte[] key, java.util.function.BooleanSupplier owned) {
        var account = new ParkingLot.Account(topic, partition, new String(key, StandardCharsets.UTF_8));
        return parking.waiting(account).thenCompose(waiting -> drainEach(topic, partition, key, owned, waiting, 0));
    }

    /**
     * One parked command after the other. The drain stops when the partition is revoked, leaving the
     * rest parked for the new owner, so that two workers never send one account's commands at once.
     */
    private CompletionStage<Disposition> drainEach(String topic, int partition, byte[] key, java.util.function.BooleanSupplier owned,
            java.util.List<ParkingLot.Waiting> waiting, int index) {
        if (waiting.isEmpty() || !owned.getAsBoolean()) {
            return CompletableFuture.completedFuture(Disposition.DONE);
        }
        if (index == waiting.size()) {
            return drain(topic, partition, key, owned);
        }
        var parked = waiting.get(index);
        var record = new ConsumerRecord<>(topic, partition, parked.offset(), key, parked.payload());
        return process(record).thenCompose(disposition -> disposition instanceof Disposition.Parked
                ? CompletableFuture.completedFuture(disposition)
                : drainEach(topic, partition, key, owned, waiting, index + 1));
    }

    private static CompletionStage<Disposition> done(CompletionStage<Void> stage) {
        return stage.thenApply(ignored -> Disposition.DONE);
    }

    /** Two records of one command id (a duplicate on the topic) are processed one after the other, never side by side. */
    private CompletionStage<Disposition> oneAtATime(String commandId, Supplier<CompletionStage<Disposition>> work) {
        var mine = new CompletableFuture<Disposition>();
        var previous = active.put(commandId, mine);
        CompletionStage<Void> start = previous == null ? CompletableFuture.completedFuture(null) : previous.handle((v, e) -> null);
        start.thenCompose(ignored -> work.get()).whenComplete((disposition, e) -> {
            active.remove(commandId, mine);
            if (e != null) {
                mine.completeExceptionally(e);
            } else {
                mine.complete(disposition);
            }
        });
        return mine;
    }

    /**
     * Takes a call slot, then claims the command: so the commands claimed and not yet sent never outnumber
     * the slots ({@code HERALD_MAX_IN_FLIGHT}). That bounds the unknown outcomes a crash can leave, and the
     * calls a campaign's cancellation can no longer stop.
     */
    private CompletionStage<Disposition> attempt(ConsumerRecord<byte[], byte[]> record, Command command) {
        return breaker.permit().thenCompose(permitted -> calls.acquire()).thenCompose(slot -> {
            CompletionStage<Claim> claimed;
            try {
                claimed = ledger.claim(claimRequest(record, command));
            } catch (RuntimeException e) {
                calls.release();
                throw e;
            }
            return claimed.whenComplete((claim, error) -> {
                if (error != null || !(claim instanceof Claim.Claimed)) {
                    calls.release();
                }
            });
        }).thenCompose(claim -> {
            if (claim instanceof Claim.Claimed claimed) {
                return call(record, command, claimed.attempt(), Progress.read(claimed.progress()));
            } else if (claim instanceof Claim.Cancelled cancelled) {
                log.info("command {} not sent: its campaign was cancelled", command.commandId());
                return done(endings.announce(command, "cancelled", cancelled.attempts(), null, null));
            } else if (claim instanceof Claim.AlreadyFinal done) {
                metrics.increment("herald_duplicates_total", "commands consumed again after they had ended; not sent again");
                log.debug("command {} already ended as {}; not sent again", command.commandId(), done.status());
                return done(endings.announce(command, done.status(), done.attempts(), null, null));
            }
            var inFlight = (Claim.FoundInFlight) claim;
            return unknownOutcomeFound(record, command, inFlight);
        });
    }

    /**
     * Sends a claimed command. It holds its call slot until its outcome is recorded, so the commands
     * {@code in_flight} in the ledger never outnumber the slots: what a crash leaves unknown is bounded
     * by {@code HERALD_MAX_IN_FLIGHT}.
     */
    private CompletionStage<Disposition> call(ConsumerRecord<byte[], byte[]> record, Command command, int attempt, Progress progress) {
        var request = progress == null ? Requests.of(command)
                : Requests.republishFor(progress.sharingMessageToken(), target(command).userToken(), progress.remainingProviders());
        var startedAt = clock.instant();
        long started = System.nanoTime();
        var released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable releaseSlot = () -> {
            if (released.compareAndSet(false, true)) {
                calls.release();
            }
        };
        return client.send(request).thenCompose(result -> {
            long nanos = System.nanoTime() - started;
            observeCall(request, result, nanos);
            if (looksLikeOutage(result)) {
                breaker.failed();
            } else {
                breaker.answered();
            }
            return decide(record, command, attempt, progress, request, result, startedAt, nanos / 1_000_000, releaseSlot);
        }).whenComplete((disposition, error) -> releaseSlot.run());
    }

    private CompletionStage<Disposition> decide(ConsumerRecord<byte[], byte[]> record, Command command, int attempt, Progress progress,
            OneAllRequest request, CallResult result, Instant startedAt, long durationMs, Runnable releaseSlot) {
        var classification = FailureClassifier.classify(result, request.idempotent());
        var answered = result instanceof CallResult.Answered a ? a : null;
        var data = answered == null ? null : answered.data();
        Integer status = answered == null ? null : answered.httpStatus();
        var attemptRecord = attemptRecord(attempt, startedAt, durationMs, result, classification);
        var effect = progress == null ? Effects.of(command, data)
                : new OutcomeRecord.Effect.Published(progress.sharingMessageToken(), null, data, false);
        if (classification instanceof Classification.Success) {
            return done(endings.finish(record, command, attempt, new Outcome.Succeeded(data, status), attemptRecord, effect));
        } else if (classification instanceof Classification.PartialSuccess partial) {
            return partial(record, command, attempt, progress, partial, data, status, attemptRecord, effect);
        } else if (progress != null && !(classification instanceof Classification.Transient && retryPolicy.mayRetry(attempt))) {
            var reason = "published, but not to " + String.join(", ", progress.remainingProviders()) + ": "
                    + describe(classification);
            return done(endings.finish(record, command, attempt, new Outcome.Partial(data, status, reason), attemptRecord, null));
        } else if (classification instanceof Classification.Transient t) {
            return retryOrExhaust(record, command, attempt, t.reason(), t.httpStatus(), t.retryAfter(), attemptRecord);
        } else if (classification instanceof Classification.Permanent p) {
            return done(endings.deadLetter(record, command, attempt, ErrorClass.PERMANENT, p.reason(), p.httpStatus(), attemptRecord));
        } else if (classification instanceof Classification.Unknown u) {
            if (config.onUnknownOutcome() == HeraldConfig.UnknownOutcomePolicy.RETRY) {
                return retryOrExhaust(record, command, attempt, u.reason(), null, java.util.Optional.empty(), attemptRecord);
            }
            return done(endings.deadLetter(record, command, attempt, ErrorClass.UNKNOWN_OUTCOME, u.reason(), null, attemptRecord));
        }
        var suspect = (Classification.CredentialsSuspect) classification;
        releaseSlot.run(); // it may wait for the keys, then claim again with a slot of its own
        return credentials.siteKeysRejected().thenCompose(rejected -> rejected
                ? holdUntilKeysAccepted(record, command, attempt, suspect.reason(), attemptRecord)
                : done(endings.deadLetter(record, command, attempt, ErrorClass.PERMANENT, suspect.reason(), 401, attemptRecord)));
    }

    /**
     * Some publications failed. Those that failed transiently are retried alone, as a re-publish to
     * their providers, once the progress is in the ledger; the command ends {@code partial} when
     * none may succeed later or its attempts are spent.
     */
    private CompletionStage<Disposition> partial(ConsumerRecord<byte[], byte[]> record, Command command, int attempt, Progress progress,
            Classification.PartialSuccess partial, JsonNode data, Integer status, OutcomeRecord.AttemptRecord attemptRecord,
            OutcomeRecord.Effect effect) {
        var target = target(command);
        var token = progress != null ? progress.sharingMessageToken() : effect instanceof OutcomeRecord.Effect.Published p
                ? p.sharingMessageToken() : null;
        var retryable = !partial.transientProviders().isEmpty() && target != null && token != null;
        if (!retryable || !retryPolicy.mayRetry(attempt)) {
            var reason = partial.transientProviders().isEmpty() ? "some publications failed for good"
                    : "publications failed transiently for " + String.join(", ", partial.transientProviders())
                            + (retryable ? " on every attempt" : "");
            return done(endings.finish(record, command, attempt, new Outcome.Partial(data, status, reason), attemptRecord, effect));
        }
        var next = new Progress(token, partial.transientProviders());
        var delay = retryPolicy.delayAfter(attempt, java.util.Optional.empty());
        metrics.increment("herald_retries_total", "transient failures scheduled for another attempt", "type", command.type().wireName());
        log.info("command {} (key {}): publications failed transiently for {}; re-publishing to them alone in {} ms",
                command.commandId(), command.routingKey(), next.remainingProviders(), delay.toMillis());
        var due = clock.instant().plus(delay);
        var waiting = new OutcomeRecord(command.commandId(), command.type().wireName(), command.routingKey(),
                command.envelope().campaignId().orElse(null), "pending", attemptRecord,
                "publications failed transiently for " + String.join(", ", next.remainingProviders()), "transient", data,
                due, effect, null, false, next.toJson());
        return parkUntil(record, command, waiting, due);
    }

    /** The user a publish or re-publish is for, when it is for a user (only those can fail per provider). */
    private static io.herald.schema.Target.ForUser target(Command command) {
        io.herald.schema.Target target = command instanceof Command.Publish publish ? publish.target()
                : command instanceof Command.Republish republish ? republish.target() : null;
        return target instanceof io.herald.schema.Target.ForUser forUser ? forUser : null;
    }

    private static String describe(Classification classification) {
        if (classification instanceof Classification.Transient t) {
            return t.reason();
        } else if (classification instanceof Classification.Permanent p) {
            return p.reason();
        } else if (classification instanceof Classification.Unknown u) {
            return u.reason();
        } else if (classification instanceof Classification.CredentialsSuspect c) {
            return c.reason();
        }
        return classification.toString();
    }

    private CompletionStage<Disposition> retryOrExhaust(ConsumerRecord<byte[], byte[]> record, Command command, int attempt,
            String reason, Integer httpStatus, java.util.Optional<Duration> retryAfter, OutcomeRecord.AttemptRecord attemptRecord) {
        if (!retryPolicy.mayRetry(attempt) && !breaker.isOpen()) {
            // Calls failed during an outage (the breaker open) do not exhaust a command: OneAll was down, not the command wrong.
            return done(endings.deadLetter(record, command, attempt, ErrorClass.EXHAUSTED,
                    "failed on all " + attempt + " attempts; last: " + reason, httpStatus, attemptRecord));
        }
        var delay = retryPolicy.delayAfter(attempt, retryAfter);
        metrics.increment("herald_retries_total", "transient failures scheduled for another attempt", "type", command.type().wireName());
        log.info("command {} (key {}) attempt {} failed transiently ({}); retrying in {} ms", command.commandId(),
                command.routingKey(), attempt, reason, delay.toMillis());
        var due = clock.instant().plus(delay);
        var waiting = Endings.ledgerRecord(command, "pending", attemptRecord, reason, "transient", null, due, null, null);
        return parkUntil(record, command, waiting, due);
    }

    /**
     * Puts a command that waits for a retry in the ledger with its Kafka value: its offset may then
     * be committed, and the account's later commands wait behind it in the ledger, not in memory.
     */
    private CompletionStage<Disposition> parkUntil(ConsumerRecord<byte[], byte[]> record, Command command, OutcomeRecord waiting,
            Instant due) {
        return ledger.record(waiting)
                .thenCompose(recorded -> parking.park(new ParkingLot.ParkRequest(claimRequest(record, command), record.value())))
                .thenApply(parked -> new Disposition.Parked(due));
    }

    /**
     * A command found {@code in_flight}: its worker stopped during the call. A re-publish is settled by reading
     * its message back once the lost call can no longer land (its claim older than the OneAll timeout): sent
     * again only to what is missing, or recorded as succeeded. A refresh only reads and is sent again. Anything
     * else follows HERALD_ON_UNKNOWN_OUTCOME.
     */
    private CompletionStage<Disposition> unknownOutcomeFound(ConsumerRecord<byte[], byte[]> record, Command command, Claim.FoundInFlight found) {
        var reason = "attempt " + found.attempts() + " (worker " + found.claimedBy()
                + ") was in flight when its worker stopped; OneAll may have carried it out";
        if (command instanceof Command.Refresh) {
            log.info("command {}: {}; a refresh only reads, so it is sent again", command.commandId(), reason);
            return sendAgain(record, command, reason);
        }
        if (!(command instanceof Command.Republish republish)) {
            return unknownOutcome(record, command, found, reason);
        }
        // Lost calls of one crash settle within seconds of each other: one read of their message serves them all.
        var settledAt = ReadBack.roundUp(found.claimedAt().plus(config.oneallTimeout()));
        var ready = new CompletableFuture<Void>();
        var wait = Duration.between(clock.instant(), settledAt);
        timer.schedule(wait.isNegative() ? Duration.ZERO : wait, () -> ready.complete(null));
        var since = settledAt.minus(config.oneallTimeout()).minus(ReadBack.STEP).minus(ReadBack.SLACK);
        return ready.thenCompose(ignored -> readBacks.read(republish.sharingMessageToken(), settledAt, since, () -> calls.acquire()
                        .thenCompose(slot -> client.send(ReadBack.request(republish.sharingMessageToken()))
                                .whenComplete((result, error) -> calls.release()))))
                .thenCompose(index -> {
                    var verdict = index.judge(republish.target());
                    metrics.increment("herald_read_backs_total", "lost re-publishes settled by reading their message back",
                            "verdict", verdict.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
                    if (verdict instanceof ReadBack.Published) {
                        log.info("command {}: {}; its publications are on the message, so it succeeded", command.commandId(), reason);
                        return done(endings.finish(record, command, found.attempts(), new Outcome.Succeeded(null, 200), null, null));
                    } else if (verdict instanceof ReadBack.Absent) {
                        log.info("command {}: {}; the message shows no publication for it, so it is sent again", command.commandId(), reason);
                        return sendAgain(record, command, reason);
                    } else if (verdict instanceof ReadBack.Partly partly) {
                        log.info("command {}: {}; published except to {}, re-publishing to those", command.commandId(), reason,
                                partly.remaining());
                        var progress = new Progress(republish.sharingMessageToken(), partly.remaining());
                        var reopened = new OutcomeRecord(command.commandId(), command.type().wireName(), command.routingKey(),
                                command.envelope().campaignId().orElse(null), "pending", null, reason,
                                ErrorClass.UNKNOWN_OUTCOME.wireName(), null, null, null, null, false, progress.toJson());
                        return ledger.record(reopened).thenCompose(recorded -> attempt(record, command));
                    }
                    return unknownOutcome(record, command, found, reason + "; " + ((ReadBack.Unreadable) verdict).reason());
                });
    }

    private CompletionStage<Disposition> unknownOutcome(ConsumerRecord<byte[], byte[]> record, Command command, Claim.FoundInFlight found,
            String reason) {
        if (config.onUnknownOutcome() == HeraldConfig.UnknownOutcomePolicy.RETRY) {
            log.warn("command {}: {}; sending it again (HERALD_ON_UNKNOWN_OUTCOME=retry)", command.commandId(), reason);
            return sendAgain(record, command, reason);
        }
        return done(endings.deadLetter(record, command, found.attempts(), ErrorClass.UNKNOWN_OUTCOME, reason, null, null));
    }

    /** Reopens a command whose last call was lost ({@code pending}, the reason kept) and claims it again. */
    private CompletionStage<Disposition> sendAgain(ConsumerRecord<byte[], byte[]> record, Command command, String reason) {
        var reopened = Endings.ledgerRecord(command, "pending", null, reason, ErrorClass.UNKNOWN_OUTCOME.wireName(), null, null, null, null);
        return ledger.record(reopened).thenCompose(ignored -> attempt(record, command));
    }

    private CompletionStage<Disposition> holdUntilKeysAccepted(ConsumerRecord<byte[], byte[]> record, Command command, int attempt,
            String reason, OutcomeRecord.AttemptRecord attemptRecord) {
        var waiting = Endings.ledgerRecord(command, "pending", attemptRecord, reason, "credentials", null, null, null, null);
        return ledger.record(waiting).thenCompose(ignored -> credentials.closeUntilAccepted()).thenCompose(ignored -> attempt(record, command));
    }

    private OutcomeRecord.AttemptRecord attemptRecord(int attempt, Instant startedAt, long durationMs, CallResult result,
            Classification classification) {
        var answered = result instanceof CallResult.Answered a ? a : null;
        String errorClass = null;
        String error = null;
        if (classification instanceof Classification.Transient t) {
            errorClass = "transient";
            error = t.reason();
        } else if (classification instanceof Classification.Permanent p) {
            errorClass = "permanent";
            error = p.reason();
        } else if (classification instanceof Classification.Unknown u) {
            errorClass = ErrorClass.UNKNOWN_OUTCOME.wireName();
            error = u.reason();
        } else if (classification instanceof Classification.CredentialsSuspect c) {
            errorClass = "credentials";
            error = c.reason();
        }
        return new OutcomeRecord.AttemptRecord(attempt, workerId, startedAt, durationMs,
                answered == null ? null : answered.httpStatus(), answered == null ? null : answered.flag(),
                answered == null ? null : answered.info(), errorClass, error);
    }

    private ClaimRequest claimRequest(ConsumerRecord<byte[], byte[]> record, Command command) {
        String metadata = null;
        if (!command.envelope().metadata().isEmpty()) {
            try {
                metadata = MAPPER.writeValueAsString(command.envelope().metadata());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return new ClaimRequest(command.commandId(), command.type().wireName(), command.routingKey(),
                command.envelope().campaignId().orElse(null), record.topic(), record.partition(), record.offset(), metadata);
    }

    private static boolean looksLikeOutage(CallResult result) {
        if (result instanceof CallResult.Answered answered) {
            int status = answered.httpStatus();
            return status == 429 || status >= 500;
        }
        return true;
    }

    private void observeCall(OneAllRequest request, CallResult result, long nanos) {
        var status = result instanceof CallResult.Answered a ? Integer.toString(a.httpStatus())
                : result instanceof CallResult.NotSent ? "not_sent" : "no_answer";
        metrics.increment("herald_oneall_calls_total", "calls to OneAll, by endpoint family and status",
                "family", request.family(), "status", status);
        metrics.observeSeconds("herald_oneall_call_seconds", "duration of calls to OneAll", nanos / 1e9, "family", request.family());
    }

    @Override
    public void close() {
        campaigns.close();
    }
}
