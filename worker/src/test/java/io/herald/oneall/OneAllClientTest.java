package io.herald.oneall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.CallResult;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OneAllClientTest {

    @Test
    void only_a_failure_to_connect_proves_that_nothing_was_sent() {
        assertThat(OneAllClient.failure(new ConnectException("Connection refused"))).isInstanceOf(CallResult.NotSent.class);
        assertThat(OneAllClient.failure(new io.netty.channel.ConnectTimeoutException("connect timed out"))).isInstanceOf(CallResult.NotSent.class);
        assertThat(OneAllClient.failure(new TimeoutException("no answer"))).isInstanceOf(CallResult.MaybeSent.class);
        assertThat(OneAllClient.failure(new IllegalStateException("connection closed"))).isInstanceOf(CallResult.MaybeSent.class);
    }

    @Test
    void retry_after_is_read_in_seconds_and_ignored_when_unreadable() {
        assertThat(OneAllClient.retryAfter("7")).contains(Duration.ofSeconds(7));
        assertThat(OneAllClient.retryAfter(" 12 ")).contains(Duration.ofSeconds(12));
        assertThat(OneAllClient.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT")).isEmpty();
        assertThat(OneAllClient.retryAfter(null)).isEmpty();
    }

    @Test
    void each_command_type_makes_the_call_of_the_contract() {
        assertThat(request("{\"command_id\":\"c\",\"type\":\"push\",\"identity_token\":\"03939f19-98bd-4a07-a949-531f15ed346b\","
                + "\"endpoint\":\"pinterest/board/42/pin\",\"push\":{\"pin\":{\"description\":\"d\"}}}"))
                .isEqualTo("POST /push/identities/03939f19-98bd-4a07-a949-531f15ed346b/pinterest/board/42/pin.json");
        assertThat(request("{\"command_id\":\"c\",\"type\":\"delete\",\"sharing_message_token\":\"328ef915-da13-4b58-83f6-6a35af3b08c0\"}"))
                .isEqualTo("DELETE /sharing/messages/328ef915-da13-4b58-83f6-6a35af3b08c0.json?confirm_deletion=true");
        assertThat(request("{\"command_id\":\"c\",\"type\":\"refresh\",\"sharing_message_token\":\"328ef915-da13-4b58-83f6-6a35af3b08c0\"}"))
                .isEqualTo("GET /sharing/messages/328ef915-da13-4b58-83f6-6a35af3b08c0.json");
    }

    @Test
    void the_payload_is_the_command_node_under_its_oneall_name() throws Exception {
        var command = ((Validation.Valid) new CommandReader().read("{\"command_id\":\"c\",\"type\":\"push\",\"identity_token\":"
                + "\"03939f19-98bd-4a07-a949-531f15ed346b\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"hi\"}}}")).command();

        assertThat(new ObjectMapper().writeValueAsString(Requests.of(command).payload())).isEqualTo("{\"push\":{\"post\":{\"message\":\"hi\"}}}");
    }

    @Test
    void oneall_dates_are_read_with_or_without_the_plus_of_the_offset() {
        assertThat(OneAllDates.parse("Tue, 20 Dec 2011 19:20:30 +0100")).isEqualTo(Instant.parse("2011-12-20T18:20:30Z"));
        assertThat(OneAllDates.parse("Thu, 21 Sep 2017 15:56:59  0200")).isEqualTo(Instant.parse("2017-09-21T13:56:59Z"));
        assertThat(OneAllDates.parse("yesterday")).isNull();
    }

    private static String request(String json) {
        var request = Requests.of(((Validation.Valid) new CommandReader().read(json)).command());
        return request.method() + " " + request.path();
    }
}
