package io.herald.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.api.CallResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureClassifierTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USER = "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8";
    private static final String OTHER_USER = "c1d82726-e81d-4e89-82af-fed19df8f64e";
    private static final Expectation PUSH = new Expectation(Expectation.Kind.PUSH, null, List.of());
    private static final Expectation READ = Expectation.read();
    private static final Expectation PUBLISH =
            new Expectation(Expectation.Kind.PUBLISH, USER, List.of("facebook", "twitter", "linkedin"));
    private static final Expectation REPUBLISH =
            new Expectation(Expectation.Kind.REPUBLISH, USER, List.of("twitter", "linkedin"));

    private static CallResult answered(int status) {
        return new CallResult.Answered(status, status < 300 ? "success" : "error", "info", null, Optional.empty());
    }

    private static CallResult page(int status) {
        return new CallResult.NotOneAll(status, "text/html", "<html>Bad Gateway</html>", Optional.empty());
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("a 200 to a push is a success", answered(200), PUSH, Classification.Success.class),
                Arguments.of("a 201 to a push is a success", answered(201), PUSH, Classification.Success.class),
                Arguments.of("a 429 is retried", answered(429), PUSH, Classification.Transient.class),
                Arguments.of("a 500 is retried", answered(500), PUSH, Classification.Transient.class),
                Arguments.of("a 502 is retried", answered(502), PUSH, Classification.Transient.class),
                Arguments.of("a 503 is retried", answered(503), PUSH, Classification.Transient.class),
                Arguments.of(
                        "a 504 to a post may have been carried out", answered(504), PUSH, Classification.Unknown.class),
                Arguments.of("a 504 to a read is retried", answered(504), READ, Classification.Transient.class),
                Arguments.of("a 400 is refused for good", answered(400), PUSH, Classification.Permanent.class),
                Arguments.of("a 404 is refused for good", answered(404), PUSH, Classification.Permanent.class),
                Arguments.of("a 409 is refused for good", answered(409), PUSH, Classification.Permanent.class),
                Arguments.of("a 501 is refused for good", answered(501), PUSH, Classification.Permanent.class),
                Arguments.of("a redirect is refused for good", answered(302), PUSH, Classification.Permanent.class),
                Arguments.of(
                        "a 401 asks whose credentials", answered(401), PUSH, Classification.CredentialsSuspect.class),
                Arguments.of(
                        "a 403 asks whose credentials", answered(403), PUSH, Classification.CredentialsSuspect.class),
                Arguments.of(
                        "no connection is retried",
                        new CallResult.NotSent("connection refused"),
                        PUSH,
                        Classification.Transient.class),
                Arguments.of(
                        "a lost answer to a post may have been carried out",
                        new CallResult.MaybeSent("timeout"),
                        PUSH,
                        Classification.Unknown.class),
                Arguments.of(
                        "a lost answer to a read is retried",
                        new CallResult.MaybeSent("timeout"),
                        READ,
                        Classification.Transient.class),
                Arguments.of(
                        "a proxy's 200 page to a post is never a success",
                        page(200),
                        PUSH,
                        Classification.Unknown.class),
                Arguments.of(
                        "a proxy's 200 page to a read is retried", page(200), READ, Classification.Transient.class),
                Arguments.of("a proxy's 502 page is retried", page(502), PUSH, Classification.Transient.class),
                Arguments.of(
                        "a proxy's 504 page to a post may have been carried out",
                        page(504),
                        PUSH,
                        Classification.Unknown.class),
                Arguments.of("a proxy's 404 page is refused for good", page(404), PUSH, Classification.Permanent.class),
                Arguments.of(
                        "a 200 with status flag error to a post is never a success",
                        new CallResult.Answered(200, "error", "failed", null, Optional.empty()),
                        PUSH,
                        Classification.Unknown.class),
                Arguments.of(
                        "a 200 with status flag error to a read is retried",
                        new CallResult.Answered(200, "error", "failed", null, Optional.empty()),
                        READ,
                        Classification.Transient.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void classifies_every_answer_and_failure(
            String guarantee, CallResult result, Expectation expectation, Class<? extends Classification> expected) {
        assertThat(FailureClassifier.classify(result, expectation)).isInstanceOf(expected);
    }

    static Stream<Arguments> signals() {
        var wait = Optional.of(Duration.ofSeconds(7));
        return Stream.of(
                Arguments.of("a 2xx says OneAll and the providers are up", answered(200), new CallSignal.Succeeded()),
                Arguments.of("a 2xx page without the envelope says the same", page(200), new CallSignal.Succeeded()),
                Arguments.of(
                        "OneAll's 429 throttles the providers for its Retry-After, OneAll being up",
                        new CallResult.Answered(429, "error", "slow down", null, wait),
                        new CallSignal.Throttled(wait)),
                Arguments.of(
                        "a 429 page without the envelope is what an outage explains",
                        page(429),
                        new CallSignal.Failed()),
                Arguments.of("a 401 says OneAll is up", answered(401), new CallSignal.Answered()),
                Arguments.of("a 403 says OneAll is up", answered(403), new CallSignal.Answered()),
                Arguments.of("a 404 page says something answered", page(404), new CallSignal.Answered()),
                Arguments.of("a 500 is what an outage explains", answered(500), new CallSignal.Failed()),
                Arguments.of("a 504 is what an outage explains", answered(504), new CallSignal.Failed()),
                Arguments.of("a 502 page is what an outage explains", page(502), new CallSignal.Failed()),
                Arguments.of(
                        "no connection is what an outage explains",
                        new CallResult.NotSent("connection refused"),
                        new CallSignal.Failed()),
                Arguments.of(
                        "no answer is what an outage explains",
                        new CallResult.MaybeSent("timeout"),
                        new CallSignal.Failed()),
                Arguments.of(
                        "a call this worker held back late says nothing",
                        new CallResult.NotSent("its claim is too old to send", true),
                        new CallSignal.Silent()),
                Arguments.of("no result says nothing", null, new CallSignal.Silent()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signals")
    void tells_the_breaker_and_the_limits_what_a_result_says_of_oneall(
            String guarantee, CallResult result, CallSignal expected) {
        assertThat(FailureClassifier.signal(result)).isEqualTo(expected);
    }

    @Test
    void a_retry_after_header_is_carried_by_a_transient_429() {
        var result = new CallResult.Answered(429, "error", "slow down", null, Optional.of(Duration.ofSeconds(7)));

        var classification = (Classification.Transient) FailureClassifier.classify(result, PUSH);

        assertThat(classification.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(classification.httpStatus()).isEqualTo(429);
    }

    @Test
    void a_publish_answer_without_the_new_message_token_may_have_created_a_message() throws Exception {
        var data = json("{\"sharing_message\":{\"publications\":[{\"provider\":\"facebook\",\"user_token\":\"" + USER
                + "\"}]}}");

        assertThat(FailureClassifier.classify(
                        new CallResult.Answered(200, "success", null, data, Optional.empty()), PUBLISH))
                .isInstanceOf(Classification.Unknown.class);
    }

    @Test
    void a_207_reads_the_targets_publications_and_names_the_providers_that_may_succeed_later() throws Exception {
        var data = message(
                publication("facebook", USER, "success", 200, 1),
                publication("twitter", USER, "error", 503, 1),
                publication("linkedin", USER, "error", 403, 1));

        var classification = FailureClassifier.classify(
                new CallResult.Answered(207, "success", null, data, Optional.empty()), PUBLISH);

        assertThat(classification)
                .isEqualTo(new Classification.PartialSuccess(
                        "m1", List.of("facebook"), List.of("twitter"), List.of("linkedin")));
    }

    @Test
    void another_recipients_failure_in_a_whole_message_answer_is_not_this_commands() throws Exception {
        var data = message(
                publication("twitter", OTHER_USER, "error", 503, 1),
                publication("twitter", USER, "success", 200, 2),
                publication("linkedin", USER, "success", 200, 2));

        assertThat(FailureClassifier.classify(
                        new CallResult.Answered(200, "success", null, data, Optional.empty()), REPUBLISH))
                .isInstanceOf(Classification.Success.class);
    }

    @Test
    void a_provider_with_any_successful_publication_for_the_target_is_done_whatever_failed_before() throws Exception {
        // the whole message after a twice-partial publish: twitter failed, then succeeded; linkedin failed twice
        var data = message(
                publication("facebook", USER, "success", 200, 1),
                publication("twitter", USER, "error", 503, 1),
                publication("linkedin", USER, "error", 503, 1),
                publication("twitter", USER, "success", 200, 2),
                publication("linkedin", USER, "error", 503, 2));

        var classification = FailureClassifier.classify(
                new CallResult.Answered(207, "success", null, data, Optional.empty()), REPUBLISH);

        assertThat(classification)
                .isEqualTo(new Classification.PartialSuccess(
                        "m1", List.of("facebook", "twitter"), List.of("linkedin"), List.of()));
    }

    @Test
    void a_provider_the_call_did_not_ask_for_is_not_judged() throws Exception {
        var data = message(
                publication("facebook", USER, "error", 403, 1),
                publication("twitter", USER, "success", 200, 2),
                publication("linkedin", USER, "success", 200, 2));

        assertThat(FailureClassifier.classify(
                        new CallResult.Answered(200, "success", null, data, Optional.empty()), REPUBLISH))
                .isInstanceOf(Classification.Success.class);
    }

    @Test
    void an_answer_that_lists_nothing_for_the_target_is_taken_as_its_status_says() throws Exception {
        var data = message(publication("twitter", OTHER_USER, "success", 200, 1));

        assertThat(FailureClassifier.classify(
                        new CallResult.Answered(200, "success", null, data, Optional.empty()), REPUBLISH))
                .isInstanceOf(Classification.Success.class);
    }

    @Test
    void a_207_that_lists_nothing_for_a_provider_asked_cannot_say_whether_that_provider_failed() throws Exception {
        var data = message(
                publication("twitter", USER, "success", 200, 1), publication("twitter", OTHER_USER, "error", 503, 1));

        assertThat(FailureClassifier.classify(
                        new CallResult.Answered(207, "success", null, data, Optional.empty()), REPUBLISH))
                .isInstanceOf(Classification.Unknown.class);
    }

    @Test
    void publications_are_read_in_the_entries_layout_too() throws Exception {
        var data = json(
                "{\"sharing_message\":{\"sharing_message_token\":\"m1\",\"publications\":{\"count\":2,\"entries\":[{\"provider\":\"twitter\","
                        + "\"user_token\":\"" + USER
                        + "\",\"status\":{\"flag\":\"error\",\"code\":403,\"message\":\"duplicate\"}},"
                        + "{\"provider\":\"linkedin\",\"user_token\":\"" + USER
                        + "\",\"status\":{\"flag\":\"success\",\"code\":200}}]}}}");

        assertThat(FailureClassifier.classify(
                        new CallResult.Answered(207, "success", null, data, Optional.empty()), REPUBLISH))
                .isEqualTo(new Classification.PartialSuccess("m1", List.of("linkedin"), List.of(), List.of("twitter")));
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static String publication(String provider, String user, String flag, int code, int second) {
        return "{\"provider\":\"" + provider + "\",\"user_token\":\"" + user
                + "\",\"date_publication\":\"Tue, 20 Dec 2011 17:26:0" + second + " +0100\",\"status\":{\"flag\":\""
                + flag + "\",\"code\":" + code + "}}";
    }

    private static JsonNode message(String... publications) throws Exception {
        return json("{\"sharing_message\":{\"sharing_message_token\":\"m1\",\"publications\":["
                + String.join(",", publications) + "]}}");
    }
}
