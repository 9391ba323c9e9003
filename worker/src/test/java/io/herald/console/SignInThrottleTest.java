package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private static final String CLIENT = "203.0.113.7";

    private final SettableClock clock = new SettableClock(Instant.parse("2026-04-01T12:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(clock);

    @Test
    void a_few_wrong_tokens_then_the_client_waits_for_one_more_attempt_a_minute() {
        for (int i = 0; i < SignInThrottle.ATTEMPTS; i++) {
            assertThat(throttle.attempt(CLIENT)).as("attempt %d", i + 1).isZero();
        }
        assertThat(throttle.attempt(CLIENT)).isEqualTo(Duration.ofMinutes(1));

        clock.advance(Duration.ofSeconds(45));
        assertThat(throttle.attempt(CLIENT)).isEqualTo(Duration.ofSeconds(15));

        clock.advance(Duration.ofSeconds(15));
        assertThat(throttle.attempt(CLIENT)).as("a minute later").isZero();
        assertThat(throttle.attempt(CLIENT)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void a_client_that_stops_gets_its_attempts_back_over_time_and_is_then_forgotten() {
        for (int i = 0; i < SignInThrottle.ATTEMPTS; i++) {
            throttle.attempt(CLIENT);
        }
        clock.advance(SignInThrottle.REFILL.multipliedBy(SignInThrottle.ATTEMPTS));

        for (int i = 0; i < SignInThrottle.ATTEMPTS; i++) {
            assertThat(throttle.attempt(CLIENT)).isZero();
        }
        assertThat(throttle.attempt(CLIENT)).isPositive();
    }

    @Test
    void a_right_token_costs_no_attempt() {
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.attempt(CLIENT)).isZero();
            throttle.succeeded(CLIENT);
        }
        assertThat(throttle.clients())
                .as("nothing kept of a client that signed in")
                .isZero();

        for (int i = 0; i < SignInThrottle.ATTEMPTS - 1; i++) {
            throttle.attempt(CLIENT);
        }
        assertThat(throttle.attempt(CLIENT))
                .as("the right token after four wrong ones")
                .isZero();
        throttle.succeeded(CLIENT);
        assertThat(throttle.attempt(CLIENT)).as("one attempt is left").isZero();
        assertThat(throttle.attempt(CLIENT)).isPositive();
    }

    @Test
    void clients_are_throttled_each_on_its_own_and_an_ipv6_host_by_its_64() {
        for (int i = 0; i < SignInThrottle.ATTEMPTS; i++) {
            throttle.attempt(SignInThrottle.client("2001:db8:1:2:aaaa::1"));
        }
        assertThat(throttle.attempt(SignInThrottle.client("2001:db8:1:2:bbbb::2")))
                .as("the same /64")
                .isPositive();
        assertThat(throttle.attempt(SignInThrottle.client("2001:db8:1:3::1"))).isZero();
        assertThat(throttle.attempt(CLIENT)).isZero();
    }

    @Test
    void the_client_of_a_remote_address() {
        assertThat(SignInThrottle.client("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(SignInThrottle.client("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(SignInThrottle.client("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(SignInThrottle.client(null)).isEqualTo("unknown");
    }

    @Test
    void the_clients_remembered_are_bounded_and_the_one_tried_longest_ago_goes_first() {
        for (int i = 0; i < SignInThrottle.ATTEMPTS; i++) {
            throttle.attempt(CLIENT);
        }
        for (int i = 0; i < SignInThrottle.CLIENTS + 100; i++) {
            throttle.attempt("10.0." + (i >> 8) + "." + (i & 255));
            assertThat(throttle.clients()).isLessThanOrEqualTo(SignInThrottle.CLIENTS);
        }
        assertThat(throttle.clients()).isEqualTo(SignInThrottle.CLIENTS);
        assertThat(throttle.attempt(CLIENT)).as("forgotten for newer clients").isZero();
    }

    @Test
    void clients_whose_attempts_are_all_back_are_forgotten_before_any_other() {
        for (int i = 0; i < SignInThrottle.CLIENTS - 1; i++) {
            throttle.attempt("10.0." + (i >> 8) + "." + (i & 255));
        }
        clock.advance(SignInThrottle.REFILL);
        for (int i = 0; i < SignInThrottle.ATTEMPTS; i++) {
            throttle.attempt(CLIENT);
        }
        throttle.attempt("198.51.100.1");

        assertThat(throttle.clients()).isEqualTo(2);
        assertThat(throttle.attempt(CLIENT)).as("still throttled").isPositive();
    }
}
