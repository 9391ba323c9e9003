package io.herald.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.command.CallSignal;
import io.herald.config.RateLimits;
import io.herald.observe.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a call waits for before its claim: a free slot, its providers' limits, OneAll answering again. */
class CallSlotsTest {
    private final ManualTimer timer = new ManualTimer();
    private final CallSlots slots =
            new CallSlots(2, RateLimits.NONE, Duration.ofMinutes(1), Duration.ofMinutes(1), timer, new Metrics());

    private static boolean held(java.util.concurrent.CompletionStage<?> stage) {
        return stage.toCompletableFuture().isDone();
    }

    @Test
    void a_call_waits_for_a_free_slot_and_gets_the_one_given_back() {
        var first = slots.acquire(List.of("twitter"));
        var second = slots.acquire(List.of("twitter"));
        var third = slots.acquire(List.of("twitter"));

        assertThat(held(first)).isTrue();
        assertThat(held(second)).isTrue();
        assertThat(held(third)).isFalse();

        first.toCompletableFuture().join().answered();
        slots.release();

        assertThat(held(third)).isTrue();
    }

    @Test
    void a_throttled_provider_waits_its_retry_after_while_another_provider_goes_on() {
        var call = slots.acquire(List.of("twitter")).toCompletableFuture().join();
        slots.ended(call, List.of("twitter"), new CallSignal.Throttled(Optional.of(Duration.ofMillis(200))));
        slots.release();

        var twitter = slots.acquire(List.of("twitter"));
        var facebook = slots.acquire(List.of("facebook"));

        assertThat(held(twitter)).isFalse();
        assertThat(held(facebook)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            timer.runAll();
            return held(twitter);
        });
    }

    @Test
    void twenty_failed_calls_in_a_row_open_the_breaker_and_the_next_call_waits_for_the_trial() {
        for (int i = 0; i < 20; i++) {
            var permit = slots.acquire(List.of()).toCompletableFuture().join();
            slots.ended(permit, List.of(), new CallSignal.Failed());
            slots.release();
        }

        assertThat(slots.outage()).isTrue();
        var next = slots.acquire(List.of());
        assertThat(held(next)).isFalse();
        timer.runAll();
        var trial = next.toCompletableFuture().getNow(null);
        assertThat(trial).isNotNull();
        slots.ended(trial, List.of(), new CallSignal.Succeeded());
        slots.release();
        assertThat(slots.outage()).isFalse();
    }

    @Test
    void calls_this_worker_held_back_unsent_count_no_failure_of_oneall() {
        for (int i = 0; i < 25; i++) {
            var permit = slots.acquire(List.of()).toCompletableFuture().join();
            slots.ended(permit, List.of(), new CallSignal.Silent());
            slots.release();
        }

        assertThat(slots.outage()).isFalse();
        assertThat(held(slots.acquire(List.of()))).isTrue();
    }
}
