package io.herald.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeldRowsTest {
    private final HeldRows held = new HeldRows(3);

    @Test
    void a_row_handed_and_not_acknowledged_is_not_held_again() {
        assertThat(held.hold(1)).isTrue();
        held.handed(1);

        assertThat(held.hold(1)).as("the next sweep finds the row again").isFalse();
        assertThat(held.all())
                .as("what the sweep leaves alone and whose lease is renewed")
                .containsExactly(1L);
        assertThat(held.handed()).isEqualTo(1);
    }

    @Test
    void a_row_acknowledged_stays_held_until_its_delete_committed() {
        held.hold(1);
        held.handed(1);
        held.acknowledged(1);

        assertThat(held.handed()).isZero();
        assertThat(held.toDelete(10)).containsExactly(1L);
        assertThat(held.hold(1)).as("acknowledged, not deleted yet").isFalse();
        assertThat(held.toDelete(10)).as("a delete that failed is tried again").containsExactly(1L);

        held.deleted(List.of(1L));
        assertThat(held.all()).isEmpty();
        assertThat(held.toDelete(10)).isEmpty();
    }

    @Test
    void a_send_that_failed_keeps_the_row_held_to_be_handed_over_again() {
        held.hold(1);
        held.handed(1);
        held.failed(1);

        assertThat(held.handed()).isZero();
        assertThat(held.all()).as("still held: no sweep takes it meanwhile").containsExactly(1L);
        assertThat(held.hold(1)).isFalse();
        held.handed(1);
        assertThat(held.handed()).isEqualTo(1);
    }

    @Test
    void a_row_waiting_is_let_go_when_the_relay_stops_and_a_row_handed_is_not() {
        held.hold(1);
        held.hold(2);
        held.handed(2);
        held.release(1);
        held.release(2);

        assertThat(held.isHeld(1)).as("left in the table for a sweep").isFalse();
        assertThat(held.isHeld(2)).as("in the producer's hands").isTrue();
    }

    @Test
    void a_late_failure_does_not_undo_an_acknowledgement() {
        held.hold(1);
        held.handed(1);
        held.acknowledged(1);
        held.failed(1);
        held.acknowledged(1);

        assertThat(held.toDelete(10)).containsExactly(1L);
        assertThat(held.handed()).isZero();
    }

    @Test
    void no_more_rows_are_held_than_the_capacity_the_rest_wait_in_the_table() {
        assertThat(held.hold(1)).isTrue();
        assertThat(held.hold(2)).isTrue();
        assertThat(held.hold(3)).isTrue();

        assertThat(held.hold(4)).isFalse();
        assertThat(held.room()).isZero();

        held.handed(2);
        held.acknowledged(2);
        held.deleted(held.toDelete(10));
        assertThat(held.room()).isEqualTo(1);
        assertThat(held.hold(4)).isTrue();
    }

    @Test
    void rows_are_deleted_oldest_acknowledgement_first_at_most_the_limit() {
        for (long id : List.of(3L, 1L, 2L)) {
            held.hold(id);
            held.handed(id);
        }
        held.acknowledged(2);
        held.acknowledged(3);
        held.acknowledged(1);

        assertThat(held.toDelete(2)).containsExactly(2L, 3L);
    }
}
