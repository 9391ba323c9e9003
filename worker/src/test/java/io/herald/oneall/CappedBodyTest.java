package io.herald.oneall;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** An answer's body is kept whole up to the limit; past it, only its head, however much more comes. */
class CappedBodyTest {
    private static Buffer bytes(String text) {
        return Buffer.buffer(text);
    }

    private static CappedBody.Body ended(CappedBody body) {
        assertThat(body.end().succeeded()).isTrue();
        return body.result().result();
    }

    @Test
    void a_body_within_the_limit_is_kept_whole() {
        var body = new CappedBody(10, 4);
        body.write(bytes("01234"));
        body.write(bytes("56789"));

        var kept = ended(body);

        assertThat(kept.whole()).isTrue();
        assertThat(kept.bytes().toString()).isEqualTo("0123456789");
    }

    @Test
    void past_the_limit_only_the_head_is_kept_and_the_rest_dropped() {
        var body = new CappedBody(10, 4);
        body.write(bytes("0123456"));
        body.write(bytes("789X"));
        for (int i = 0; i < 1_000; i++) {
            body.write(bytes("more than the limit, dropped"));
        }

        var kept = ended(body);

        assertThat(kept.whole()).isFalse();
        assertThat(kept.bytes().toString()).isEqualTo("0123");
    }

    @Test
    void a_first_chunk_past_the_limit_gives_its_own_head() {
        var body = new CappedBody(10, 4);
        body.write(bytes("ab"));
        body.write(bytes("cdefghijklmnop"));

        var kept = ended(body);

        assertThat(kept.whole()).isFalse();
        assertThat(kept.bytes().toString()).isEqualTo("abcd");
    }

    @Test
    void an_empty_body_is_whole_and_empty() {
        var kept = ended(new CappedBody(10, 4));

        assertThat(kept.whole()).isTrue();
        assertThat(kept.bytes().length()).isZero();
    }

    @Test
    void a_body_that_failed_midway_fails_its_result() {
        var body = new CappedBody(10, 4);
        body.write(bytes("01"));
        body.handle(new IllegalStateException("connection lost"));

        assertThat(body.result().failed()).isTrue();
        assertThat(body.end().failed()).as("ended after it failed").isTrue();
    }
}
