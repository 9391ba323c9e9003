package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lease epochs in Kafka's order of assignments: raised only upward, to the assignment's generation. */
class LeaseEpochTest {
    private static final long AT_7 = LeaseEpoch.of(1, 7);

    @Test
    void a_first_lease_and_a_lease_of_the_counter_before_generations_take_the_assignments_generation_in_era_1() {
        assertThat(LeaseEpoch.next(null, null, "a", 3)).hasValue(LeaseEpoch.of(1, 3));
        assertThat(LeaseEpoch.next(412L, "b", "a", 3)).hasValue(LeaseEpoch.of(1, 3));
        assertThat(LeaseEpoch.of(1, 3)).isGreaterThan(412L);
    }

    @Test
    void a_later_generation_raises_the_lease_to_itself() {
        var next = LeaseEpoch.next(AT_7, "a", "b", 9);

        assertThat(next).hasValue(LeaseEpoch.of(1, 9));
        assertThat(LeaseEpoch.generation(next.getAsLong())).isEqualTo(9);
        assertThat(LeaseEpoch.era(next.getAsLong())).isEqualTo(1);
    }

    @Test
    void the_raise_of_an_earlier_generation_arriving_after_a_later_ones_is_refused_and_fences_nobody() {
        assertThat(LeaseEpoch.next(AT_7, "b", "a", 5)).isEmpty();
        assertThat(LeaseEpoch.next(AT_7, "b", "b", 5)).isEmpty();
    }

    @Test
    void the_same_assignment_raising_again_after_a_lost_acknowledgement_keeps_its_epoch() {
        assertThat(LeaseEpoch.next(AT_7, "a", "a", 7)).hasValue(AT_7);
    }

    @Test
    void another_owner_claiming_the_same_generation_is_refused() {
        assertThat(LeaseEpoch.next(AT_7, "a", "b", 7)).isEmpty();
    }

    @Test
    void the_next_era_is_above_every_epoch_of_the_one_before_and_below_every_assignment_in_it() {
        long next = LeaseEpoch.nextEra(LeaseEpoch.of(1, Integer.MAX_VALUE));

        assertThat(next).isGreaterThan(LeaseEpoch.of(1, Integer.MAX_VALUE));
        assertThat(LeaseEpoch.next(next, "a", "b", 1)).hasValue(LeaseEpoch.of(2, 1));
    }
}
