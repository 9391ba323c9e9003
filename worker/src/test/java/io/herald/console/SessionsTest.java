package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private final MovableClock clock = new MovableClock();
    private final Sessions sessions = new Sessions("s3cret-token", clock);

    @Test
    void a_browser_keeps_its_session_and_its_csrf_token_until_it_is_idle_too_long() {
        var session = sessions.find(null);
        assertThat(sessions.find(session.id)).isSameAs(session);
        assertThat(session.carries(session.csrfToken)).isTrue();
        assertThat(session.carries("forged")).isFalse();
        assertThat(session.carries(null)).isFalse();

        clock.now = clock.now.plus(Sessions.IDLE).plusSeconds(1);
        assertThat(sessions.find(session.id)).isNotSameAs(session);
    }

    @Test
    void signing_in_moves_the_operator_to_a_new_session_and_ends_the_old_one() {
        var before = sessions.find(null);
        var after = sessions.signIn(before, "alice");

        assertThat(after.id).isNotEqualTo(before.id);
        assertThat(after.csrfToken).isNotEqualTo(before.csrfToken);
        assertThat(after.operator()).isEqualTo("alice");
        assertThat(sessions.find(before.id).operator()).isNull();
    }

    @Test
    void the_operator_token_is_recognised_and_nothing_else_is() {
        assertThat(sessions.isOperatorToken("s3cret-token")).isTrue();
        assertThat(sessions.isOperatorToken("s3cret-token ")).isFalse();
        assertThat(sessions.isOperatorToken(null)).isFalse();
        assertThat(new Sessions("", clock).isOperatorToken(""))
                .as("a read-only console has no token")
                .isFalse();
    }

    @Test
    void a_preview_is_confirmed_once_only() {
        var session = sessions.find(null);
        var previewId = session.keep(new Sessions.Preview(List.of(1L, 2L), false));

        assertThat(session.take(previewId)).isEqualTo(new Sessions.Preview(List.of(1L, 2L), false));
        assertThat(session.take(previewId)).as("a second confirmation").isNull();
        assertThat(session.take("made-up")).isNull();
    }

    @Test
    void signing_out_forgets_the_previews() {
        var session = sessions.signIn(sessions.find(null), "bob");
        var previewId = session.keep(new Sessions.Preview(List.of(3L), false));
        session.signOut();

        assertThat(session.operator()).isNull();
        assertThat(session.take(previewId)).isNull();
    }

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-04-01T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
