package io.herald.console;

import static io.herald.console.ConsoleClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.SettableClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console's routes, sessions and sign-in over HTTP, on a server in this JVM with pages that need no database. */
@Timeout(60)
class ConsoleRoutesTest {
    private static final String TOKEN = "operator-token-for-the-routes-test";

    private final SettableClock clock = new SettableClock(Instant.parse("2026-04-01T12:00:00Z"));
    private final Sessions sessions = new Sessions(TOKEN, clock);
    private final AtomicInteger changes = new AtomicInteger();
    private Vertx vertx;
    private HttpServer server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        var signIn = new SignInPage(sessions, new SignInThrottle(clock));
        var routes = new Routes(vertx, sessions, "")
                .get("/", request -> Layout.page(request, "Overview").response())
                .get("/login", signIn::form)
                .post("/login", signIn::signIn)
                .post("/logout", signIn::signOut)
                .change("/change", request -> {
                    changes.incrementAndGet();
                    return Response.redirect("/");
                });
        server = vertx.createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(routes::serve)
                .listen()
                .await(10, TimeUnit.SECONDS);
        url = "http://127.0.0.1:" + server.actualPort() + "/";
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void wrong_tokens_from_one_address_are_answered_429_with_retry_after_even_for_the_right_one_until_it_passes()
            throws Exception {
        var client = new ConsoleClient(url);
        var csrf = client.csrf();
        for (int i = 0; i < SignInThrottle.ATTEMPTS; i++) {
            assertThat(client.post("/login", form("token", "guess-" + i, "csrf", csrf))
                            .statusCode())
                    .isEqualTo(403);
        }

        var refused = client.post("/login", form("token", TOKEN, "csrf", csrf));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(refused.body()).contains("Too many wrong operator tokens").doesNotContain(TOKEN);
        assertThat(new ConsoleClient(url)
                        .post("/login", form("token", TOKEN, "csrf", csrf))
                        .statusCode())
                .as("another browser on the same address, without this one's CSRF token")
                .isEqualTo(403);

        clock.advance(Duration.ofSeconds(59));
        assertThat(client.post("/login", form("token", TOKEN, "csrf", csrf))
                        .headers()
                        .firstValue("Retry-After"))
                .hasValue("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.post("/login", form("token", TOKEN, "name", "alice", "csrf", csrf))
                        .statusCode())
                .isEqualTo(303);
        assertThat(client.get("/").body()).contains("Signed in as alice");
    }

    @Test
    void signing_in_again_and_again_with_the_right_token_is_never_throttled() throws Exception {
        var client = new ConsoleClient(url);
        for (int i = 0; i < 2 * SignInThrottle.ATTEMPTS + 1; i++) {
            var response = client.post("/login", form("token", TOKEN, "name", "script", "csrf", client.csrf()));
            assertThat(response.statusCode()).isEqualTo(303);
            assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        }
        assertThat(sessions.signedIn())
                .as("each sign-in ended the session before it")
                .isEqualTo(1);
    }

    @Test
    void requests_without_a_cookie_keep_no_session_and_leave_the_operator_s_intact() throws Exception {
        var operator = new ConsoleClient(url);
        operator.post("/login", form("token", TOKEN, "name", "alice", "csrf", operator.csrf()));
        var anonymous = HttpClient.newHttpClient();
        var visit = HttpRequest.newBuilder(URI.create(url)).GET().build();

        // SessionsTest makes 10,000 such visits; over HTTP, fewer show that the routes keep nothing of them
        for (int i = 0; i < 1_000; i++) {
            var response = anonymous.send(visit, HttpResponse.BodyHandlers.discarding());
            assertThat(response.headers().firstValue("Set-Cookie")).isPresent();
        }

        assertThat(sessions.signedIn()).isEqualTo(1);
        assertThat(operator.get("/").body()).contains("Signed in as alice");
        assertThat(operator.post("/change", form("csrf", operator.csrf())).statusCode())
                .isEqualTo(303);
        assertThat(changes).hasValue(1);
    }

    @Test
    void a_visitor_s_form_works_across_requests_without_a_session_and_changes_need_a_sign_in() throws Exception {
        var visitor = new ConsoleClient(url);
        var csrf = visitor.csrf();
        assertThat(visitor.csrf()).as("the same token from the same cookie").isEqualTo(csrf);

        var refused = visitor.post("/change", form("csrf", csrf));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("sign in first");
        assertThat(visitor.post("/login", form("token", TOKEN, "csrf", "forged"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(changes).hasValue(0);
        assertThat(sessions.signedIn()).isZero();
    }

    @Test
    void signing_out_ends_the_session_and_says_so() throws Exception {
        var client = new ConsoleClient(url);
        client.post("/login", form("token", TOKEN, "name", "bob", "csrf", client.csrf()));
        var signedInCsrf = client.csrf();

        var out = client.post("/logout", form("csrf", signedInCsrf));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location")).hasValue("/login?signed-out=yes");
        assertThat(client.get("/login?signed-out=yes").body()).contains("Signed out");
        assertThat(sessions.signedIn()).isZero();
        assertThat(client.post("/change", form("csrf", signedInCsrf)).statusCode())
                .isEqualTo(403);
    }
}
