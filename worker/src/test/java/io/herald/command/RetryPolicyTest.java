package io.herald.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy =
            RetryPolicy.maxAttempts(5).exponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10));

    @Test
    void the_delay_doubles_from_the_first_backoff_up_to_the_cap() {
        assertThat(policy.delayAfter(1, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(2, Optional.empty())).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(3, Optional.empty())).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayAfter(4, Optional.empty())).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayAfter(5, Optional.empty())).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delayAfter(60, Optional.empty())).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitter_spreads_the_delay_over_its_upper_half() {
        var low = policy.withJitter(() -> 0.0);
        var high = policy.withJitter(() -> 0.999);

        assertThat(low.delayAfter(3, Optional.empty())).isEqualTo(Duration.ofSeconds(2));
        assertThat(high.delayAfter(3, Optional.empty())).isBetween(Duration.ofMillis(3990), Duration.ofSeconds(4));
    }

    @Test
    void retry_after_is_honoured_when_it_is_longer() {
        assertThat(policy.delayAfter(1, Optional.of(Duration.ofSeconds(30)))).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.delayAfter(4, Optional.of(Duration.ofSeconds(1)))).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void a_command_may_make_at_most_max_attempts_calls() {
        assertThat(policy.mayRetry(4)).isTrue();
        assertThat(policy.mayRetry(5)).isFalse();
    }

    @Test
    void a_half_configured_policy_is_refused() {
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        RetryPolicy.maxAttempts(3).exponentialBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(3).exponentialBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
