package io.herald.process;

import io.herald.command.CallResult;
import io.herald.command.Publications;
import io.herald.oneall.OneAllDates;
import io.herald.oneall.OneAllRequest;
import io.herald.schema.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The outcome of a lost re-publish, read back from OneAll: the message is read, and the target's
 * publications since the lost attempt tell whether it took effect. Only re-publishes can be checked so:
 * a lost publish created a message whose token Herald never learned.
 */
final class ReadBack {
    /** Publications this much older than the lost attempt's claim do not count (clock differences, and earlier re-publishes). */
    static final Duration SLACK = Duration.ofMinutes(2);

    sealed interface Verdict {}

    /** Every publication asked for exists: the lost attempt took effect. */
    record Published() implements Verdict {}

    /** None exists: the lost attempt had no effect and may be sent again. */
    record Absent() implements Verdict {}

    /** Some providers have their publication; {@code remaining} do not. */
    record Partly(List<String> remaining) implements Verdict {}

    /** OneAll could not be read: the outcome stays unknown. */
    record Unreadable(String reason) implements Verdict {}

    private ReadBack() {}

    /** Settle times are rounded up to this step, so that the lost calls of one crash share their read. */
    static final Duration STEP = Duration.ofSeconds(5);

    static Instant roundUp(Instant at) {
        long step = STEP.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli() + step - 1, step) * step);
    }

    /** Reads of messages in progress or just done, shared by the lost calls that settled before each read began. */
    static final class Reads {
        private record Read(Instant settledAt, CompletableFuture<Index> result, long startedNanos) {}

        private final Map<String, Read> reads = new ConcurrentHashMap<>();

        CompletionStage<Index> read(String token, Instant settledAt, Instant since, Supplier<CompletionStage<CallResult>> send) {
            long now = System.nanoTime();
            reads.values().removeIf(read -> now - read.startedNanos() > TimeUnit.MINUTES.toNanos(2));
            var created = new Read[1];
            var read = reads.compute(token, (key, existing) -> {
                if (existing != null && !existing.settledAt().isBefore(settledAt)) {
                    return existing;
                }
                created[0] = new Read(settledAt, new CompletableFuture<>(), now);
                return created[0];
            });
            if (read == created[0]) {
                send.get().whenComplete((result, error) -> {
                    if (error != null) {
                        read.result().completeExceptionally(error);
                    } else {
                        read.result().complete(Index.of(result, since));
                    }
                });
            }
            return read.result();
        }
    }

    static OneAllRequest request(String sharingMessageToken) {
        return new OneAllRequest("GET", "/sharing/messages/" + sharingMessageToken + ".json", null);
    }

    /** The publications of one read of a message, by target, indexed once for every lost call the read serves. */
    static final class Index {
        private final String unreadable;
        private final Map<String, java.util.Set<String>> providersByUser = new java.util.HashMap<>();
        private final java.util.Set<String> identities = new HashSet<>();

        private Index(String unreadable) {
            this.unreadable = unreadable;
        }

        /** Indexes the successful publications dated {@code since} or later (or undated). */
        static Index of(CallResult result, Instant since) {
            if (!(result instanceof CallResult.Answered answered) || answered.httpStatus() != 200 || answered.data() == null) {
                return new Index(result instanceof CallResult.Answered a ? "the message read answered HTTP " + a.httpStatus()
                        : "the message could not be read");
            }
            var index = new Index(null);
            for (var publication : Publications.entries(answered.data())) {
                var flag = publication.path("status").path("flag").asText("success");
                var date = OneAllDates.parse(publication.path("date_publication").asText(null));
                if (!flag.equals("success") || (date != null && date.isBefore(since))) {
                    continue;
                }
                var user = publication.path("user_token").asText(null);
                if (user != null) {
                    index.providersByUser.computeIfAbsent(user, u -> new HashSet<>()).add(publication.path("provider").asText(""));
                }
                var identity = publication.path("identity_token").asText(null);
                if (identity != null) {
                    index.identities.add(identity);
                }
            }
            return index;
        }

        Verdict judge(Target target) {
            if (unreadable != null) {
                return new Unreadable(unreadable);
            }
            if (target instanceof Target.ForIdentity identity) {
                return identities.contains(identity.identityToken()) ? new Published() : new Absent();
            }
            var user = (Target.ForUser) target;
            var remaining = new ArrayList<>(user.providers());
            remaining.removeAll(providersByUser.getOrDefault(user.userToken(), java.util.Set.of()));
            if (remaining.isEmpty()) {
                return new Published();
            }
            return remaining.size() == user.providers().size() ? new Absent() : new Partly(List.copyOf(remaining));
        }
    }
}
