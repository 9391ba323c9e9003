package io.herald.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The breaker with a timer the test fires by hand. */
class OutageBreakerTest {
    private record Scheduled(Duration delay, Runnable task) {}

    private final List<Scheduled> due = new ArrayList<>();
    private final OutageBreaker breaker = new OutageBreaker(
            3, Duration.ofSeconds(1), Duration.ofSeconds(8), (delay, task) -> due.add(new Scheduled(delay, task)));

    /** Three failures in a row: open, one probe scheduled after the first cooldown. */
    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.failed();
        }
        assertThat(breaker.isOpen()).isTrue();
    }

    private void fireTimers() {
        var tasks = new ArrayList<>(due);
        due.clear();
        tasks.forEach(scheduled -> scheduled.task().run());
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
        open();
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
    void a_failed_probe_doubles_the_cooldown_while_the_calls_behind_it_wait() {
        open();
        assertThat(due).extracting(Scheduled::delay).containsExactly(Duration.ofSeconds(1));
        var probe = breaker.permit().toCompletableFuture();
        var behind = breaker.permit().toCompletableFuture();
        fireTimers();
        assertThat(probe).isDone();

        breaker.failed();

        assertThat(behind).isNotDone();
        assertThat(due).extracting(Scheduled::delay).containsExactly(Duration.ofSeconds(2));
        fireTimers();
        assertThat(behind).as("the next probe").isDone();
    }
}
