package io.herald.process;

import io.herald.command.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A timer that runs nothing by itself: the test runs what is due. */
final class ManualTimer implements Timer {
    final List<Runnable> tasks = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public void schedule(Duration delay, Runnable task) {
        delays.add(delay);
        tasks.add(task);
    }

    void runAll() {
        var due = new ArrayList<>(tasks);
        tasks.clear();
        due.forEach(Runnable::run);
    }
}
