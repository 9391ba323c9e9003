package io.herald.process;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed while OneAll rejects the site's keys: the worker then stops consuming and reports not
 * ready, instead of dead-lettering its backlog with 401s (contract §3).
 */
public final class CredentialsGate {
    private final AtomicReference<String> rejection = new AtomicReference<>();

    public boolean open() {
        return rejection.get() == null;
    }

    /** Why it is closed, or null. */
    public String reason() {
        return rejection.get();
    }

    void close(String reason) {
        rejection.set(reason);
    }

    void reopen() {
        rejection.set(null);
    }
}
