package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordHeadersTest {
    private static final RecordHeaders HEADERS = RecordHeaders.of(List.of(
            new RecordHeaders.Header("traceparent", bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
            new RecordHeaders.Header("tenant", bytes("first")),
            new RecordHeaders.Header("binary", new byte[] {(byte) 0xff, 0, (byte) 0xfe}),
            new RecordHeaders.Header("empty", null),
            new RecordHeaders.Header("tenant", bytes("second"))));

    @Test
    void headers_come_back_from_their_column_in_order_byte_for_byte_with_repeated_names_and_null_values() {
        var back = RecordHeaders.decode(HEADERS.encoded());

        assertThat(back).isEqualTo(HEADERS);
        assertThat(back.all())
                .extracting(RecordHeaders.Header::key)
                .containsExactly("traceparent", "tenant", "binary", "empty", "tenant");
        assertThat(Arrays.equals(back.all().get(2).value(), new byte[] {(byte) 0xff, 0, (byte) 0xfe}))
                .isTrue();
        assertThat(back.all().get(3).value()).isNull();
    }

    @Test
    void a_name_reads_as_its_last_value_as_kafkas_last_header_does() {
        assertThat(HEADERS.text("tenant")).isEqualTo("second");
        assertThat(HEADERS.text("empty")).isNull();
        assertThat(HEADERS.text("missing")).isNull();
    }

    @Test
    void no_header_is_no_column_and_no_column_is_no_header() {
        assertThat(RecordHeaders.NONE.encoded()).isNull();
        assertThat(RecordHeaders.of(List.of())).isSameAs(RecordHeaders.NONE);
        assertThat(RecordHeaders.decode(null)).isSameAs(RecordHeaders.NONE);
        assertThat(RecordHeaders.decode(new byte[0])).isSameAs(RecordHeaders.NONE);
    }

    @Test
    void herald_s_own_headers_are_left_out_by_name() {
        assertThat(HEADERS.without(Set.of("tenant", "empty")).all())
                .extracting(RecordHeaders.Header::key)
                .containsExactly("traceparent", "binary");
    }

    @Test
    void a_column_cut_short_is_refused_with_its_length_not_its_bytes() {
        var encoded = HEADERS.encoded();
        var cut = Arrays.copyOf(encoded, encoded.length - 3);

        assertThatThrownBy(() -> RecordHeaders.decode(cut))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("unreadable record headers (" + cut.length + " bytes)");
    }

    @Test
    void its_text_names_how_many_headers_never_a_value() {
        assertThat(HEADERS.toString()).isEqualTo("RecordHeaders[5 headers]");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
