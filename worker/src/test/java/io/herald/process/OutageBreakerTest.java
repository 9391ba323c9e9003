package io.herald.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The breaker on a clock the test moves: every way a trial can end, and that none leaves it half-open for ever. */
class OutageBreakerTest {
    private static final Duration TRIAL_BOUND = Duration.ofSeconds(40);

    /** A timer on a clock that only the test moves. */
    private static final class ManualTimer implements Timer {
        private record Due(long atMillis, Runnable task) {}

        private final List<Due> due = new ArrayList<>();
        private long nowMillis;

        @Override
        public void schedule(Duration delay, Runnable task) {
            due.add(new Due(nowMillis + delay.toMillis(), task));
        }

        void advance(Duration by) {
            long until = nowMillis + by.toMillis();
            while (true) {
                var next = due.stream()
                        .filter(d -> d.atMillis() <= until)
                        .min(Comparator.comparingLong(Due::atMillis))
                        .orElse(null);
                if (next == null) {
                    break;
                }
                due.remove(next);
                nowMillis = next.atMillis();
                next.task().run();
            }
            nowMillis = until;
        }
    }

    private final ManualTimer clock = new ManualTimer();
    private final OutageBreaker breaker =
            new OutageBreaker(3, Duration.ofSeconds(1), Duration.ofSeconds(8), TRIAL_BOUND, clock);

    /** Three failures in a row under permits given while closed: open. */
    private void open() {
        for (int i = 0; i < 3; i++) {
            permitNow().failed();
        }
        assertThat(breaker.isOpen()).isTrue();
    }

    private OutageBreaker.Permit permitNow() {
        var permit = breaker.permit().toCompletableFuture();
        assertThat(permit).isDone();
        return permit.join();
    }

    private CompletableFuture<OutageBreaker.Permit> waiter() {
        return breaker.permit().toCompletableFuture();
    }

    /** The breaker opened, the cooldown passed: the first of {@code waiters} holds the trial. */
    private List<CompletableFuture<OutageBreaker.Permit>> openWithTrialOut(int waiters) {
        open();
        var queued = new ArrayList<CompletableFuture<OutageBreaker.Permit>>();
        for (int i = 0; i < waiters; i++) {
            queued.add(waiter());
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(queued.get(0)).as("the oldest waiter gets the trial").isDone();
        assertThat(queued.get(0).join().trial()).isTrue();
        queued.subList(1, waiters)
                .forEach(w -> assertThat(w).as("waits behind the trial").isNotDone());
        return queued;
    }

    @Test
    void calls_the_worker_held_back_itself_do_not_open_it() {
        for (int i = 0; i < 10; i++) {
            permitNow().released();
        }

        assertThat(breaker.isOpen()).isFalse();
        assertThat(permitNow().trial()).isFalse();
    }

    @Test
    void an_answered_trial_closes_it_and_lets_every_waiter_through() {
        var queued = openWithTrialOut(3);

        queued.get(0).join().answered();

        assertThat(breaker.isOpen()).isFalse();
        queued.forEach(w -> assertThat(w).isDone());
        assertThat(queued.get(2).join().trial()).isFalse();
        assertThat(permitNow().trial()).isFalse();
    }

    @Test
    void a_failed_trial_doubles_the_cooldown_while_the_calls_behind_it_wait() {
        var queued = openWithTrialOut(2);

        queued.get(0).join().failed();

        clock.advance(Duration.ofMillis(1_999));
        assertThat(queued.get(1)).as("within the doubled cooldown").isNotDone();
        clock.advance(Duration.ofMillis(1));
        assertThat(queued.get(1)).as("the next trial").isDone();
        assertThat(queued.get(1).join().trial()).isTrue();
    }

    @Test
    void a_trial_that_makes_no_call_hands_the_trial_to_the_next_waiter_at_once() {
        var queued = openWithTrialOut(3);

        queued.get(0).join().released();

        assertThat(queued.get(1)).isDone();
        assertThat(queued.get(1).join().trial()).isTrue();
        assertThat(queued.get(2)).isNotDone();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void a_trial_released_with_nobody_waiting_goes_to_the_next_permit_asked_for() {
        var queued = openWithTrialOut(1);

        queued.get(0).join().released();

        var next = permitNow();
        assertThat(next.trial()).isTrue();
        assertThat(waiter()).as("one trial at a time").isNotDone();
    }

    @Test
    void waiters_that_make_no_call_one_after_the_other_never_leave_it_stuck() {
        var queued = openWithTrialOut(6);
        for (int i = 0; i < 5; i++) {
            queued.get(i).join().released();
        }

        var last = queued.get(5);
        assertThat(last).isDone();
        last.join().answered();

        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void a_trial_that_ends_in_no_way_is_given_up_after_the_bound_and_another_goes() {
        var queued = openWithTrialOut(2);

        clock.advance(TRIAL_BOUND.minusMillis(1));
        assertThat(queued.get(1)).as("within the bound the trial is still out").isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThat(queued.get(1)).as("another trial").isDone();
        assertThat(queued.get(1).join().trial()).isTrue();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void a_lost_trial_with_nobody_waiting_lets_the_next_permit_be_the_trial() {
        var queued = openWithTrialOut(1);

        clock.advance(TRIAL_BOUND);

        assertThat(permitNow().trial()).isTrue();
        assertThat(queued.get(0).join().trial()).isTrue();
    }

    @Test
    void a_lost_trial_that_fails_late_does_not_reopen_it_over_the_trial_out_now() {
        var queued = openWithTrialOut(3);
        var lost = queued.get(0).join();
        clock.advance(TRIAL_BOUND);
        var current = queued.get(1).join();

        lost.failed();

        assertThat(queued.get(2)).as("still one trial at a time").isNotDone();
        current.answered();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(queued.get(2)).isDone();
    }

    @Test
    void a_lost_trial_answered_late_still_closes_it() {
        var queued = openWithTrialOut(2);
        var lost = queued.get(0).join();
        clock.advance(TRIAL_BOUND);

        lost.answered();

        assertThat(breaker.isOpen()).isFalse();
        assertThat(queued.get(1)).isDone();
    }

    @Test
    void a_permit_ends_once_whatever_is_said_of_it_afterwards() {
        var queued = openWithTrialOut(3);
        var trial = queued.get(0).join();

        trial.failed();
        trial.released();
        trial.answered();

        assertThat(queued.get(1))
                .as("a release after the report hands nothing on")
                .isNotDone();
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(Duration.ofSeconds(2));
        var second = queued.get(1).join();
        second.released();
        second.released();
        assertThat(queued.get(2)).isDone();
        assertThat(queued.get(2).join().trial()).isTrue();
    }

    @Test
    void a_trial_reported_in_time_is_not_given_up_later() {
        var queued = openWithTrialOut(3);
        queued.get(0).join().released();
        var second = queued.get(1).join();

        clock.advance(TRIAL_BOUND.minusSeconds(1));
        second.released();
        var third = queued.get(2).join();
        clock.advance(Duration.ofSeconds(1));

        assertThat(waiter())
                .as("the first trial's bound passing gives no second trial")
                .isNotDone();
        third.answered();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void calls_let_through_before_the_outage_failing_while_half_open_do_not_reopen_it() {
        var before = permitNow();
        var queued = openWithTrialOut(2);

        before.failed();

        queued.get(0).join().answered();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(queued.get(1)).isDone();
    }

    @Test
    void closed_it_counts_failures_in_a_row_and_an_answer_starts_the_count_again() {
        permitNow().failed();
        permitNow().failed();
        permitNow().answered();
        permitNow().failed();
        permitNow().failed();

        assertThat(breaker.isOpen()).isFalse();
        permitNow().failed();
        assertThat(breaker.isOpen()).isTrue();
    }
}
