package io.herald.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.OutboxMessage;
import io.herald.store.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record an outbox row becomes: the original record's headers as they came, then Herald's, which win by name. */
class OutboxRecordTest {
    @Test
    void a_dead_letter_keeps_the_original_headers_first_and_herald_s_own_replace_those_of_their_names() {
        var original = RecordHeaders.of(List.of(
                new RecordHeaders.Header(
                        "traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")),
                new RecordHeaders.Header("herald-error-class", bytes("permanent")),
                new RecordHeaders.Header("app", null)));
        var message =
                new OutboxMessage("dlt", bytes("k"), bytes("{}"), Map.of("herald-error-class", "exhausted"), original);

        var headers = new ArrayList<String>();
        OutboxRelay.record(message)
                .headers()
                .forEach(h -> headers.add(
                        h.key() + "=" + (h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8))));

        assertThat(headers)
                .containsExactly(
                        "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                        "app=null",
                        "herald-error-class=exhausted");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
