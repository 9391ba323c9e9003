package io.herald.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The breaker with a timer the test fires by hand. */
class OutageBreakerTest {
    private final List<Runnable> due = new ArrayList<>();
    private final OutageBreaker breaker =
            new OutageBreaker(3, Duration.ofSeconds(1), Duration.ofSeconds(8), (delay, task) -> due.add(task));

    private void fireTimers() {
        var tasks = new ArrayList<>(due);
        due.clear();
        tasks.forEach(Runnable::run);
    }

    @Test
    void calls_the_worker_held_back_itself_do_not_open_it() {
        for (int i = 0; i < 10; i++) {
            breaker.heldBack();
        }

        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.permit().toCompletableFuture()).isDone();
    }

    @Test
    void a_probe_the_worker_held_back_hands_the_probe_to_the_next_call_waiting() {
        for (int i = 0; i < 3; i++) {
            breaker.failed();
        }
        assertThat(breaker.isOpen()).isTrue();
        var first = breaker.permit().toCompletableFuture();
        var second = breaker.permit().toCompletableFuture();
        fireTimers();
        assertThat(first).as("the probe").isDone();
        assertThat(second).as("waits for the probe").isNotDone();

        breaker.heldBack();

        assertThat(second).as("the next probe").isDone();
        assertThat(breaker.isOpen()).isTrue();
        breaker.answered();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.permit().toCompletableFuture()).isDone();
    }

    @Test
    void a_failed_probe_doubles_the_cooldown_and_waiting_calls_keep_waiting() {
        for (int i = 0; i < 3; i++) {
            breaker.failed();
        }
        CompletableFuture<Void> probe = breaker.permit().toCompletableFuture();
        CompletableFuture<Void> waiting = breaker.permit().toCompletableFuture();
        fireTimers();
        assertThat(probe).isDone();

        breaker.failed();

        assertThat(waiting).isNotDone();
        assertThat(due).as("the next probe is scheduled").hasSize(1);
        fireTimers();
        assertThat(waiting).as("the next probe").isDone();
    }
}
