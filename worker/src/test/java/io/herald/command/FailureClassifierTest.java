package io.herald.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureClassifierTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static CallResult answered(int status) {
        return new CallResult.Answered(status, status < 300 ? "success" : "error", "info", null, Optional.empty());
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(answered(200), false, Classification.Success.class),
                Arguments.of(answered(201), false, Classification.Success.class),
                Arguments.of(answered(429), false, Classification.Transient.class),
                Arguments.of(answered(500), false, Classification.Transient.class),
                Arguments.of(answered(502), false, Classification.Transient.class),
                Arguments.of(answered(503), false, Classification.Transient.class),
                Arguments.of(answered(504), false, Classification.Unknown.class),
                Arguments.of(answered(504), true, Classification.Transient.class),
                Arguments.of(answered(400), false, Classification.Permanent.class),
                Arguments.of(answered(403), false, Classification.Permanent.class),
                Arguments.of(answered(404), false, Classification.Permanent.class),
                Arguments.of(answered(409), false, Classification.Permanent.class),
                Arguments.of(answered(501), false, Classification.Permanent.class),
                Arguments.of(answered(302), false, Classification.Permanent.class),
                Arguments.of(answered(401), false, Classification.CredentialsSuspect.class),
                Arguments.of(new CallResult.NotSent("connection refused"), false, Classification.Transient.class),
                Arguments.of(new CallResult.MaybeSent("timeout"), false, Classification.Unknown.class),
                Arguments.of(new CallResult.MaybeSent("timeout"), true, Classification.Transient.class));
    }

    @ParameterizedTest(name = "{0} (idempotent: {1}) is {2}")
    @MethodSource("table")
    void classifies_every_answer_and_failure(CallResult result, boolean idempotent, Class<? extends Classification> expected) {
        assertThat(FailureClassifier.classify(result, idempotent)).isInstanceOf(expected);
    }

    @Test
    void a_retry_after_header_is_carried_by_a_transient_429() {
        var result = new CallResult.Answered(429, "error", "slow down", null, Optional.of(Duration.ofSeconds(7)));

        var classification = (Classification.Transient) FailureClassifier.classify(result, false);

        assertThat(classification.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(classification.httpStatus()).isEqualTo(429);
    }

    @Test
    void a_207_reads_each_publication_and_names_the_providers_that_may_succeed_later() throws Exception {
        var data = MAPPER.readTree("""
                {"sharing_message":{"publications":[
                  {"provider":"facebook","status":{"flag":"success","code":200}},
                  {"provider":"twitter","status":{"flag":"error","code":503}},
                  {"provider":"linkedin","status":{"flag":"error","code":403}}]}}""");

        var classification = FailureClassifier.classify(new CallResult.Answered(207, "success", null, data, Optional.empty()), false);

        assertThat(classification).isEqualTo(new Classification.PartialSuccess(java.util.List.of("twitter")));
    }

    @Test
    void a_200_whose_publications_all_succeeded_is_a_success_in_either_layout() throws Exception {
        var bare = MAPPER.readTree("{\"sharing_message\":{\"publications\":[{\"provider\":\"facebook\"}]}}");
        var entries = MAPPER.readTree("{\"sharing_message\":{\"publications\":{\"count\":1,\"entries\":[{\"provider\":\"facebook\","
                + "\"status\":{\"flag\":\"success\",\"code\":200}}]}}}");

        assertThat(FailureClassifier.classify(new CallResult.Answered(200, "success", null, bare, Optional.empty()), false))
                .isInstanceOf(Classification.Success.class);
        assertThat(FailureClassifier.classify(new CallResult.Answered(200, "success", null, entries, Optional.empty()), false))
                .isInstanceOf(Classification.Success.class);
    }

    @Test
    void a_publication_failing_in_the_entries_layout_is_read_too() throws Exception {
        var data = MAPPER.readTree("{\"sharing_message\":{\"publications\":{\"count\":1,\"entries\":[{\"provider\":\"twitter\","
                + "\"status\":{\"flag\":\"error\",\"code\":403,\"message\":\"duplicate\"}}]}}}");

        assertThat(FailureClassifier.classify(new CallResult.Answered(207, "success", null, data, Optional.empty()), false))
                .isEqualTo(new Classification.PartialSuccess(java.util.List.of()));
    }
}
