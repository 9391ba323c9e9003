package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-04-01T12:00:00Z"));
    private final Sessions sessions = new Sessions("s3cret-token", clock);

    @Test
    void a_visitor_is_kept_nowhere_and_its_cookie_gives_the_same_csrf_token_at_every_request() {
        var visitor = sessions.find(null);
        assertThat(visitor.operator()).isNull();
        assertThat(sessions.signedIn()).isZero();

        var again = sessions.find(visitor.id);
        assertThat(again.id).isEqualTo(visitor.id);
        assertThat(again.carries(visitor.csrfToken)).isTrue();
        assertThat(again.carries("forged")).isFalse();
        assertThat(again.carries(null)).isFalse();
        assertThat(sessions.find(null).carries(visitor.csrfToken))
                .as("another visitor's token")
                .isFalse();
        assertThat(new Sessions("s3cret-token", clock).find(visitor.id).carries(visitor.csrfToken))
                .as("a token of the console before a restart")
                .isFalse();
        assertThat(sessions.find("not-an-id").id)
                .as("a cookie of another shape")
                .isNotEqualTo("not-an-id");
    }

    @Test
    void an_operator_keeps_the_session_until_it_is_idle_too_long() {
        var session = sessions.signIn(sessions.find(null), "alice");
        clock.advance(Sessions.IDLE.minusSeconds(1));
        assertThat(sessions.find(session.id)).isSameAs(session);

        clock.advance(Sessions.IDLE.plusSeconds(1));
        var after = sessions.find(session.id);
        assertThat(after.operator()).isNull();
        assertThat(after.id).as("an ended session's id is not reused").isNotEqualTo(session.id);
        assertThat(sessions.signedIn()).isZero();
    }

    @Test
    void signing_in_moves_the_operator_to_a_new_session_and_ends_the_old_one() {
        var before = sessions.find(null);
        var after = sessions.signIn(before, "alice");

        assertThat(after.id).isNotEqualTo(before.id);
        assertThat(after.csrfToken).isNotEqualTo(before.csrfToken);
        assertThat(after.operator()).isEqualTo("alice");
        assertThat(sessions.find(before.id).operator()).isNull();

        var again = sessions.signIn(after, "alice");
        assertThat(sessions.find(after.id).operator()).as("signed in again").isNull();
        assertThat(sessions.find(again.id)).isSameAs(again);
        assertThat(sessions.signedIn()).isEqualTo(1);
    }

    @Test
    void ten_thousand_requests_without_a_session_leave_a_signed_in_session_intact() {
        var operator = sessions.signIn(sessions.find(null), "alice");

        for (int i = 0; i < 10_000; i++) {
            sessions.find(null);
            sessions.find(Sessions.randomToken());
            clock.advance(Duration.ofMillis(1));
        }

        assertThat(sessions.find(operator.id)).isSameAs(operator);
        assertThat(sessions.signedIn()).isEqualTo(1);
    }

    @Test
    void at_the_bound_a_sign_in_ends_the_session_unused_for_longest_and_no_other() {
        var first = sessions.signIn(sessions.find(null), "first");
        clock.advance(Duration.ofSeconds(1));
        var second = sessions.signIn(sessions.find(null), "second");
        for (int i = 2; i < Sessions.MOST; i++) {
            clock.advance(Duration.ofSeconds(1));
            sessions.signIn(sessions.find(null), "operator-" + i);
        }
        assertThat(sessions.signedIn()).isEqualTo(Sessions.MOST);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.find(first.id)).as("used again").isSameAs(first);

        var last = sessions.signIn(sessions.find(null), "last");

        assertThat(sessions.signedIn()).isEqualTo(Sessions.MOST);
        assertThat(sessions.find(second.id).operator()).as("unused for longest").isNull();
        assertThat(sessions.find(first.id)).isSameAs(first);
        assertThat(sessions.find(last.id)).isSameAs(last);
    }

    @Test
    void at_the_bound_sessions_idle_too_long_end_first() {
        for (int i = 0; i < Sessions.MOST; i++) {
            sessions.signIn(sessions.find(null), "operator-" + i);
        }
        clock.advance(Sessions.IDLE);
        var last = sessions.signIn(sessions.find(null), "last");

        assertThat(sessions.signedIn()).isEqualTo(1);
        assertThat(sessions.find(last.id)).isSameAs(last);
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
        var session = sessions.signIn(sessions.find(null), "alice");
        var previewId = session.keep(new Session.Preview(List.of(1L, 2L), false));

        assertThat(session.take(previewId)).isEqualTo(new Session.Preview(List.of(1L, 2L), false));
        assertThat(session.take(previewId)).as("a second confirmation").isNull();
        assertThat(session.take("made-up")).isNull();
    }

    @Test
    void signing_out_ends_the_session_and_its_previews() {
        var session = sessions.signIn(sessions.find(null), "bob");
        var previewId = session.keep(new Session.Preview(List.of(3L), false));
        var visitor = sessions.signOut(session);

        assertThat(visitor.operator()).isNull();
        assertThat(visitor.id).isNotEqualTo(session.id);
        assertThat(sessions.find(session.id).operator()).isNull();
        assertThat(sessions.find(session.id).take(previewId)).isNull();
        assertThat(sessions.signedIn()).isZero();
    }
}
