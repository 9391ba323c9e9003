package io.herald.consume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    @Test
    void commits_only_below_the_lowest_unfinished_offset() {
        var tracker = new OffsetTracker();
        tracker.started(10);
        tracker.started(11);
        tracker.started(12);

        tracker.finished(11);
        tracker.finished(12);
        assertThat(tracker.committable()).isEqualTo(10);

        tracker.finished(10);
        assertThat(tracker.committable()).isEqualTo(13);
    }

    @Test
    void reports_a_commit_only_when_the_offset_moved() {
        var tracker = new OffsetTracker();
        assertThat(tracker.toCommit()).isEqualTo(-1);
        tracker.started(0);
        tracker.finished(0);
        assertThat(tracker.toCommit()).isEqualTo(1);
        tracker.committed(1);
        assertThat(tracker.toCommit()).isEqualTo(-1);
    }
}
