package io.herald.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.config.RateLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProviderLimitsTest {
    private static final List<String> TWITTER = List.of("twitter");

    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);
    /** Timers due at a nano time, run when the test moves the clock past them. */
    private final List<Object[]> timers = new ArrayList<>();

    private final ProviderLimits limits = new ProviderLimits(
            RateLimits.NONE,
            Duration.ofHours(1),
            (delay, task) -> timers.add(new Object[] {nanos.get() + delay.toNanos(), task}),
            nanos::get);

    private void advance(Duration by) {
        long until = nanos.get() + by.toNanos();
        while (true) {
            var due = timers.stream()
                    .filter(t -> (long) t[0] - until <= 0)
                    .min((a, b) -> Long.compare((long) a[0], (long) b[0]));
            if (due.isEmpty()) {
                break;
            }
            timers.remove(due.get());
            nanos.set(Math.max(nanos.get(), (long) due.get()[0]));
            ((Runnable) due.get()[1]).run();
        }
        nanos.set(until);
    }

    private List<CompletableFuture<Void>> acquire(int calls) {
        var ready = new ArrayList<CompletableFuture<Void>>();
        for (int i = 0; i < calls; i++) {
            ready.add(limits.acquire(TWITTER).toCompletableFuture());
        }
        return ready;
    }

    private static long done(List<CompletableFuture<Void>> ready) {
        return ready.stream().filter(CompletableFuture::isDone).count();
    }

    @Test
    void a_provider_that_never_throttled_is_not_limited() {
        assertThat(done(acquire(1_000))).isEqualTo(1_000);
        assertThat(limits.limited()).isEmpty();
    }

    @Test
    void
            a_429_pauses_the_provider_for_its_retry_after_then_halves_the_rate_it_accepted_and_its_other_429s_do_not_halve_it_again() {
        for (int i = 0; i < 100; i++) {
            limits.succeeded(TWITTER);
        }
        limits.throttled(TWITTER, Duration.ofSeconds(2));
        limits.throttled(TWITTER, Duration.ofSeconds(2));
        assertThat(limits.rate("twitter"))
                .as("half the 100 a second it accepted, once")
                .isEqualTo(50.0);

        var waiting = acquire(200);
        advance(Duration.ofMillis(1_990));
        assertThat(done(waiting)).as("nothing goes while it is paused").isZero();
        advance(Duration.ofMillis(1_010));
        assertThat(done(waiting)).as("then 50 a second").isBetween(49L, 52L);
    }

    @Test
    void a_retry_after_longer_than_the_cap_pauses_the_provider_only_as_long_as_the_cap() {
        limits.throttled(TWITTER, Duration.ofDays(1));
        var waiting = acquire(1);
        advance(Duration.ofMinutes(59));
        assertThat(done(waiting)).as("paused within the hour's cap").isZero();
        advance(Duration.ofMinutes(2));
        assertThat(done(waiting))
                .as("going again after the cap, not after a day")
                .isEqualTo(1);
    }

    @Test
    void while_calls_wait_each_success_raises_the_rate_a_little_and_a_later_429_halves_it_again() {
        limits.throttled(TWITTER, Duration.ofMillis(100));
        var waiting = acquire(50);
        double before = limits.rate("twitter");
        for (int i = 0; i < 10; i++) {
            limits.succeeded(TWITTER);
        }
        assertThat(limits.rate("twitter")).isEqualTo(before + 10 * 0.2, org.assertj.core.data.Offset.offset(1e-9));

        advance(Duration.ofSeconds(2));
        limits.throttled(TWITTER, Duration.ofMillis(100));
        assertThat(limits.rate("twitter")).isLessThan(before + 2);
        assertThat(done(waiting)).isPositive();
    }
}
