package io.herald.process;

import io.herald.command.LostCall;
import io.herald.command.ReadBackVerdict;
import io.herald.command.ReadBacks;
import io.herald.command.Timer;
import io.herald.oneall.Answers;
import io.herald.oneall.Call;
import io.herald.oneall.CallResult;
import io.herald.oneall.OneAll;
import io.herald.oneall.Requests;
import io.herald.schema.Command;
import io.herald.schema.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads OneAll back to settle lost calls: the message of a lost re-publish or delete, the latest messages of the
 * site for a lost publish. A read that fails transiently is tried again a few times. The lost re-publishes of one
 * message that settle together (a crash mid-campaign) share one read of it.
 */
final class LostCalls {
    private static final int READ_ATTEMPTS = 3;
    private static final Duration READ_RETRY = Duration.ofSeconds(2);
    private static final Duration SHARED_READ = Duration.ofSeconds(5);
    private static final int MAX_CANDIDATES = 20;

    private final OneAll client;
    private final CallSlots slots;
    private final Timer timer;
    private final Duration callTimeout;
    private final Map<String, SharedRead> reads = new ConcurrentHashMap<>();

    /** A read of a message, decoded once for every lost call it settles. */
    private record Read(CallResult result, java.util.Optional<io.herald.oneall.SharingMessage> message) {}

    private record SharedRead(long startedNanos, CompletableFuture<Read> result) {}

    LostCalls(OneAll client, CallSlots slots, Timer timer, Duration callTimeout) {
        this.client = client;
        this.slots = slots;
        this.timer = timer;
        this.callTimeout = callTimeout;
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
        return candidates(lost.claimedAt(), 1, new ArrayList<>())
                .thenCompose(tokens -> {
                    var reads = tokens.stream()
                            .limit(MAX_CANDIDATES)
                            .map(token -> read(Requests.readMessage(token), 1).toCompletableFuture())
                            .toList();
                    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                            .thenApply(ignored -> {
                                var results = reads.stream()
                                        .map(CompletableFuture::join)
                                        .toList();
                                boolean complete = tokens.size() <= MAX_CANDIDATES
                                        && results.stream()
                                                .allMatch(r ->
                                                        r instanceof CallResult.Answered a && a.httpStatus() == 200);
                                return ReadBacks.publish(command, results, complete);
                            });
                })
                .exceptionally(error -> new ReadBackVerdict.Undecided(
                        "the site's messages could not be listed: " + error.getMessage()));
    }

    /** The site's messages made since the claim, newest first, page after page while they reach back that far. */
    private CompletionStage<List<String>> candidates(Instant claimedAt, int page, List<String> found) {
        return read(Requests.listMessages(page, 100, true), 1).thenCompose(result -> {
            if (!(result instanceof CallResult.Answered answered) || answered.httpStatus() != 200) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("listing answered " + describe(result)));
            }
            var listed = Answers.messagePage(answered.data());
            found.addAll(ReadBacks.candidates(listed, claimedAt, callTimeout));
            return ReadBacks.olderPagesMatter(listed, claimedAt) && page < 5
                    ? candidates(claimedAt, page + 1, found)
                    : CompletableFuture.completedFuture(found);
        });
    }

    /** A read with a call slot of its own, tried again when it fails transiently. */
    private CompletionStage<CallResult> read(Call call, int attempt) {
        return slots.acquireForRead()
                .thenCompose(slot -> client.send(call).whenComplete((result, error) -> slots.release()))
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
