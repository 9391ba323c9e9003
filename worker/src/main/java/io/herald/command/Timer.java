package io.herald.command;

import java.time.Duration;

/** Runs a task after a delay without holding a thread (Vert.x's timers in a worker; a settable one in tests). */
public interface Timer {
    void schedule(Duration delay, Runnable task);
}
