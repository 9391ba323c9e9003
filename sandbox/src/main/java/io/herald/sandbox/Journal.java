package io.herald.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Every request the sandbox received, in arrival order: the witness that tests use to prove that a
 * command reached OneAll exactly once.
 */
public final class Journal {
    /**
     * One request.
     *
     * @param token      the token in the request's path (identity or sharing message), or null
     * @param target     the user or identity token a publish or re-publish is for, or null
     * @param bodyDigest SHA-256 of the request body, hex, or null without a body
     * @param excerpt    the first 256 characters of the body, for tests and people, or null
     * @param status     the HTTP status answered, or 0 when the sandbox never answered (a hang)
     * @param effect     whether the request changed the sandbox's state (a post was made, a message deleted),
     *                   true for a hang and for the anomalies that distort a successful answer
     * @param fault      the injected fault that shaped the answer, or null: {@code outage}, {@code rate_limit} (a
     *                   provider's bucket was empty), {@code rule}, {@code rate} (a random error), {@code hang}, or an
     *                   {@link Anomaly#wireName() anomaly's name}
     */
    public record Entry(
            long sequence,
            Instant at,
            String method,
            String path,
            String token,
            String target,
            String bodyDigest,
            String excerpt,
            int status,
            boolean effect,
            String fault) {}

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final int capacity;
    private final AtomicLong size = new AtomicLong();

    public Journal(int capacity) {
        this.capacity = capacity;
    }

    void add(
            Instant at,
            String method,
            String path,
            String token,
            String target,
            String bodyDigest,
            String excerpt,
            int status,
            boolean effect,
            String fault) {
        entries.add(new Entry(
                sequence.incrementAndGet(),
                at,
                method,
                path,
                token,
                target,
                bodyDigest,
                excerpt,
                status,
                effect,
                fault));
        if (size.incrementAndGet() > capacity) {
            entries.poll();
            size.decrementAndGet();
        }
    }

    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public List<Entry> entries(Predicate<Entry> filter) {
        return entries.stream().filter(filter).toList();
    }

    /** Requests received about the token (in the path or as the publish target), oldest first. */
    public List<Entry> forToken(String token) {
        return entries(entry -> token.equals(entry.token()) || token.equals(entry.target()));
    }

    /** How many requests were ever received, including those dropped from a full journal. */
    public long received() {
        return sequence.get();
    }

    public void clear() {
        entries.clear();
        size.set(0);
    }
}
