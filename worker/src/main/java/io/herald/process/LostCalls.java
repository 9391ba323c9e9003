package io.herald.process;

import io.herald.command.FailureClassifier;
import io.herald.command.LostCall;
import io.herald.command.MessageListing;
import io.herald.command.OtherCommands;
import io.herald.command.ReadBackVerdict;
import io.herald.command.ReadBacks;
import io.herald.command.Timer;
import io.herald.command.api.Answers;
import io.herald.command.api.Call;
import io.herald.command.api.CallResult;
import io.herald.command.api.MessagePage;
import io.herald.command.api.Requests;
import io.herald.oneall.OneAll;
import io.herald.schema.Command;
import io.herald.schema.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads OneAll back to settle lost calls: the message of a lost re-publish or delete, the latest messages of the
 * site for a lost publish. A read that fails transiently is tried again a few times. The lost re-publishes of one
 * message that settle together (a crash mid-campaign) share one read of it. A lost publish's candidates are judged with
 * what the ledger records of other commands, read once OneAll was: a command that answered before the listing is then
 * either recorded with its message or still in flight, never missed.
 */
final class LostCalls {
    /** What the ledger records of other commands around a lost publish, read off the threads that complete calls. */
    interface Ledgered {
        CompletionStage<OtherCommands> around(String commandId, String target, List<String> tokens, Instant from);
    }

    private static final int READ_ATTEMPTS = 3;
    private static final Duration READ_RETRY = Duration.ofSeconds(2);
    private static final Duration SHARED_READ = Duration.ofSeconds(5);
    private static final int MAX_CANDIDATES = 20;

    private final OneAll client;
    private final CallSlots slots;
    private final Timer timer;
    private final Duration callTimeout;
    private final Ledgered ledgered;
    private final Map<String, SharedRead> reads = new ConcurrentHashMap<>();

    /** A read of a message, decoded once for every lost call it settles. */
    private record Read(CallResult result, Optional<io.herald.command.api.SharingMessage> message) {}

    private record SharedRead(long startedNanos, CompletableFuture<Read> result) {}

    LostCalls(OneAll client, CallSlots slots, Timer timer, Duration callTimeout, Ledgered ledgered) {
        this.client = client;
        this.slots = slots;
        this.timer = timer;
        this.callTimeout = callTimeout;
        this.ledgered = ledgered;
    }

    CompletionStage<ReadBackVerdict> settle(Command command, LostCall lost) {
        return switch (lost.kind()) {
            case REPUBLISH -> republish(command, lost);
            case DELETE ->
                read(Requests.readMessage(((Command.Delete) command).sharingMessageToken()), 1)
                        .thenApply(ReadBacks::delete);
            case PUBLISH -> publish((Command.Publish) command, lost);
        };
    }

    private CompletionStage<ReadBackVerdict> republish(Command command, LostCall lost) {
        var progress = lost.progress();
        var token =
                progress != null ? progress.sharingMessageToken() : ((Command.Republish) command).sharingMessageToken();
        var target =
                command instanceof Command.Publish publish ? publish.target() : ((Command.Republish) command).target();
        var asked = progress != null && target instanceof Target.ForUser
                ? progress.remainingProviders()
                : target instanceof Target.ForUser user ? user.providers() : List.<String>of();
        var targetToken = target instanceof Target.ForUser user
                ? user.userToken()
                : ((Target.ForIdentity) target).identityToken();
        return sharedRead(token)
                .thenApply(read -> ReadBacks.republish(
                        read.result(), read.message(), token, targetToken, asked, lost.claimedAt()));
    }

    /** One read of a message serves every lost call of it that settles within a few seconds of the others. */
    private CompletionStage<Read> sharedRead(String token) {
        long now = System.nanoTime();
        reads.values()
                .removeIf(read -> now - read.startedNanos() > SHARED_READ.toNanos()
                        && read.result().isDone());
        var created = new SharedRead(now, new CompletableFuture<>());
        var read = reads.compute(
                token,
                (key, existing) ->
                        existing != null && now - existing.startedNanos() < SHARED_READ.toNanos() ? existing : created);
        if (read == created) {
            read(Requests.readMessage(token), 1).whenComplete((result, error) -> {
                if (error != null) {
                    read.result().completeExceptionally(error);
                } else {
                    read.result().complete(new Read(result, ReadBacks.messageOf(result)));
                }
            });
        }
        return read.result();
    }

    private CompletionStage<ReadBackVerdict> publish(Command.Publish command, LostCall lost) {
        var listing = new MessageListing(lost.claimedAt(), callTimeout);
        return list(listing, 1)
                .thenCompose(listed -> {
                    var tokens = listing.candidates();
                    var view = tokens.size() > MAX_CANDIDATES && listed instanceof MessageListing.Next.Complete
                            ? new MessageListing.Next.Incomplete(tokens.size() + " messages were made since the claim,"
                                    + " more than the " + MAX_CANDIDATES + " read")
                            : listed;
                    var read = tokens.stream().limit(MAX_CANDIDATES).toList();
                    var reads = read.stream()
                            .map(token -> read(Requests.readMessage(token), 1).toCompletableFuture())
                            .toList();
                    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                            .thenCompose(ignored -> judged(
                                    command,
                                    reads.stream().map(CompletableFuture::join).toList(),
                                    view,
                                    read,
                                    listing.from()));
                })
                .exceptionally(error -> new ReadBackVerdict.Undecided(
                        "the site's messages could not be listed: " + error.getMessage()));
    }

    /** The candidates judged with what the ledger records of other commands (nothing to ask when none was made). */
    private CompletionStage<ReadBackVerdict> judged(
            Command.Publish command,
            List<CallResult> candidates,
            MessageListing.Next view,
            List<String> tokens,
            Instant from) {
        if (candidates.isEmpty()) {
            return CompletableFuture.completedFuture(ReadBacks.publish(command, candidates, view, OtherCommands.NONE));
        }
        return ledgered.around(command.commandId(), command.routingKey(), tokens, from)
                .handle((others, error) -> error == null
                        ? ReadBacks.publish(command, candidates, view, others)
                        : new ReadBackVerdict.Undecided(
                                "the ledger could not be read for the messages of other commands: "
                                        + (error.getCause() == null ? error : error.getCause()).getMessage()));
    }

    /** The site's messages, newest first, page after page until the listing says it has shown the claim's window. */
    private CompletionStage<MessageListing.Next> list(MessageListing listing, int page) {
        return read(Requests.listMessages(page, MessageListing.PER_PAGE, true), 1)
                .thenCompose(result -> {
                    var listed = result instanceof CallResult.Answered answered
                                    && answered.httpStatus() == 200
                                    && !"error".equals(answered.flag())
                            ? Answers.listedPage(answered.data())
                            : Optional.<MessagePage>empty();
                    if (listed.isEmpty()) {
                        return CompletableFuture.completedFuture(new MessageListing.Next.Incomplete(
                                "page " + page + " of the site's messages answered " + describe(result)));
                    }
                    var next = listing.add(page, listed.get());
                    return next instanceof MessageListing.Next.ReadPage more
                            ? list(listing, more.page())
                            : CompletableFuture.completedFuture(next);
                });
    }

    /** A read with a call slot of its own, tried again when it fails transiently. */
    private CompletionStage<CallResult> read(Call call, int attempt) {
        return slots.acquireForRead()
                .thenCompose(permit -> client.send(call).whenComplete((result, error) -> {
                    slots.ended(permit, List.of(), FailureClassifier.signal(result));
                    slots.release();
                }))
                .thenCompose(result -> {
                    boolean retry = attempt < READ_ATTEMPTS
                            && (result instanceof CallResult.NotSent
                                    || result instanceof CallResult.MaybeSent
                                    || result instanceof CallResult.NotOneAll
                                    || result instanceof CallResult.Answered a
                                            && (a.httpStatus() == 429 || a.httpStatus() >= 500));
                    if (!retry) {
                        return CompletableFuture.completedFuture(result);
                    }
                    var later = new CompletableFuture<Void>();
                    timer.schedule(READ_RETRY.multipliedBy(attempt), () -> later.complete(null));
                    return later.thenCompose(ignored -> read(call, attempt + 1));
                });
    }

    private static String describe(CallResult result) {
        return result instanceof CallResult.Answered answered
                ? "HTTP " + answered.httpStatus()
                : result.getClass().getSimpleName();
    }
}
