package io.herald.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class Rfc2822Test {
    @Test
    void dates_are_formatted_as_oneall_writes_them_including_seconds_that_share_a_slot_of_the_cache() {
        var instant = Instant.parse("2011-12-20T18:20:30.750Z");

        assertThat(Rfc2822.format(instant)).isEqualTo("Tue, 20 Dec 2011 18:20:30 +0000");
        assertThat(Rfc2822.format(instant.plusMillis(200))).isEqualTo("Tue, 20 Dec 2011 18:20:30 +0000");
        assertThat(Rfc2822.format(instant.plusSeconds(1024))).isEqualTo("Tue, 20 Dec 2011 18:37:34 +0000");
        assertThat(Rfc2822.format(instant)).isEqualTo("Tue, 20 Dec 2011 18:20:30 +0000");
        assertThat(Rfc2822.format(Instant.parse("1969-12-31T23:59:59Z"))).isEqualTo("Wed, 31 Dec 1969 23:59:59 +0000");
    }
}
