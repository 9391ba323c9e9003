package io.herald.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A sharing message and every publication it has had; publications are added from several event loops. */
final class Message {
    final String token;
    final long sequence;
    final ObjectNode parts;
    final Instant created;
    private volatile Instant lastPublished;
    private volatile boolean deleted;
    private final List<Publication> publications = new ArrayList<>();

    Message(String token, long sequence, ObjectNode parts, Instant created) {
        this.token = token;
        this.sequence = sequence;
        this.parts = parts;
        this.created = created;
        this.lastPublished = created;
    }

    Instant lastPublished() {
        return lastPublished;
    }

    boolean deleted() {
        return deleted;
    }

    void delete() {
        deleted = true;
    }

    /** Keeps the publications of a call that succeeded at least in part, failed ones too, as OneAll lists them. */
    void addPublications(List<Publication> made, Instant at) {
        synchronized (publications) {
            publications.addAll(made);
            lastPublished = at;
        }
    }

    List<Publication> publications() {
        synchronized (publications) {
            return List.copyOf(publications);
        }
    }
}
