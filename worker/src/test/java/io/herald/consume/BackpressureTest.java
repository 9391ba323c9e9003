package io.herald.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bound of the records held: a count or a size, whichever is reached first; resuming under half of both. */
class BackpressureTest {
    private static final long MIB = 1024 * 1024;
    private final Backpressure bound = new Backpressure(4_000, 128 * MIB);

    @Test
    void a_record_counts_three_times_its_key_and_value() {
        assertThat(Backpressure.weight(new byte[10], new byte[900_000])).isEqualTo(2_700_030);
        assertThat(Backpressure.weight(null, new byte[5])).isEqualTo(15);
    }

    @Test
    void a_few_large_records_pass_the_bound_long_before_the_count_does() {
        long fifty = 50 * Backpressure.weight(null, new byte[900 * 1024]);

        assertThat(bound.over(50, fifty)).isTrue();
        assertThat(bound.over(3_999, 10 * MIB)).isFalse();
        assertThat(bound.over(4_000, 0))
                .as("many small records still pass the count")
                .isTrue();
    }

    @Test
    void it_resumes_only_under_half_of_both() {
        assertThat(bound.under(2_000, 64 * MIB)).isTrue();
        assertThat(bound.under(2_000, 64 * MIB + 1)).isFalse();
        assertThat(bound.under(2_001, 0)).isFalse();
        assertThat(bound.over(2_500, 100 * MIB) || bound.under(2_500, 100 * MIB))
                .as("between the marks it keeps what it does")
                .isFalse();
    }

    @Test
    void a_record_is_admitted_while_it_keeps_the_bytes_held_within_the_bound() {
        assertThat(bound.admits(100 * MIB, 28 * MIB)).isTrue();
        assertThat(bound.admits(100 * MIB, 28 * MIB + 1)).isFalse();
        assertThat(bound.admits(1, 200 * MIB))
                .as("one byte held is something held")
                .isFalse();
    }

    @Test
    void a_record_larger_than_the_whole_bound_is_admitted_when_nothing_is_held() {
        assertThat(bound.admits(0, 200 * MIB)).isTrue();
        assertThat(bound.readmits(0, 200 * MIB)).isTrue();
    }

    @Test
    void a_record_held_back_is_readmitted_once_it_fits_and_the_bytes_held_are_under_half() {
        assertThat(bound.readmits(64 * MIB, 10 * MIB)).isTrue();
        assertThat(bound.readmits(64 * MIB + 1, 10 * MIB))
                .as("it fits, but resuming now would hand out one record and pause again")
                .isFalse();
        assertThat(bound.readmits(40 * MIB, 100 * MIB))
                .as("under half, but it does not fit yet")
                .isFalse();
        assertThat(bound.readmits(28 * MIB, 100 * MIB)).isTrue();
    }

    @Test
    void a_drain_page_is_an_eighth_of_the_bound_in_serialized_bytes() {
        assertThat(bound.drainPageBytes()).isEqualTo(128 * MIB / 3 / 8);
    }

    @Test
    void a_bound_too_small_to_hold_anything_is_refused() {
        assertThatThrownBy(() -> new Backpressure(1, MIB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backpressure(100, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
