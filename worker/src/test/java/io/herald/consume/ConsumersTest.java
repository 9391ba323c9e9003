package io.herald.consume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the consumer fetches ahead follows the size of the records held. */
class ConsumersTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void a_fetch_brings_at_most_half_the_serialized_size_of_the_bound() {
        assertThat(Consumers.fetchMaxBytes(128 * MIB)).isEqualTo(128 * MIB / 3 / 2);
        assertThat(Consumers.fetchMaxBytes(8 * MIB)).isEqualTo(8 * MIB / 3 / 2).isGreaterThan((int) MIB);
        assertThat(Consumers.fetchMaxBytes(64 * 1024 * MIB))
                .as("at most Kafka's default")
                .isEqualTo(50 * MIB);
    }
}
