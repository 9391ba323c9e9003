package io.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A valid command is processed whatever its record's key; an invalid record's key that could not be a routing key is
 * named and kept as its digest, and nothing a record holds puts an unprintable character in what the reader says of
 * it: both are kept as text by PostgreSQL, which refuses a NUL and invalid UTF-8.
 */
class RecordKeysTest {
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";
    private static final String MESSAGE = "328ef915-da13-4b58-83f6-6a35af3b08c0";
    private static final byte[] PUSH = ("{\"command_id\":\"c1\",\"type\":\"push\",\"identity_token\":\"" + IDENTITY
                    + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"hi\"}}}")
            .getBytes(StandardCharsets.UTF_8);

    private final CommandReader reader = new CommandReader();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_routing_key_another_text_key_an_empty_key_and_no_key_keep_a_valid_command_valid() {
        assertThat(reader.read(utf8(IDENTITY), PUSH)).isInstanceOf(Validation.Valid.class);
        assertThat(reader.read(utf8("orders/customer 881 é"), PUSH)).isInstanceOf(Validation.Valid.class);
        assertThat(reader.read(new byte[0], PUSH)).isInstanceOf(Validation.Valid.class);
        assertThat(reader.read(null, PUSH)).isInstanceOf(Validation.Valid.class);
        assertThat(reader.read(utf8("k".repeat(Limits.MAX_KEY_BYTES)), PUSH)).isInstanceOf(Validation.Valid.class);
    }

    @Test
    void a_key_that_could_not_be_a_routing_key_leaves_a_valid_command_valid() {
        assertThat(reader.read(utf8("03939f19\u0000"), PUSH)).isInstanceOf(Validation.Valid.class);
        assertThat(reader.read(new byte[] {'k', (byte) 0xC3, (byte) 0x28}, PUSH))
                .isInstanceOf(Validation.Valid.class);
        assertThat(reader.read(utf8("k".repeat(3_000)), PUSH)).isInstanceOf(Validation.Valid.class);
    }

    @Test
    void each_rule_a_key_breaks_is_named_with_what_it_is() {
        var bogus = utf8("{\"command_id\":\"x\",\"type\":\"bogus\"}");

        assertThat(RecordKeys.violations(utf8("03939f19\u0000")))
                .containsExactly(new Violation("(key)", "key-nul", "the record's key holds a NUL byte"));
        assertThat(((Validation.Invalid) reader.read(new byte[] {'k', (byte) 0xC3, (byte) 0x28}, bogus)).summary())
                .contains("(key): the record's key is not valid UTF-8");
        assertThat(((Validation.Invalid) reader.read(utf8("k".repeat(3_000)), bogus)).summary())
                .contains("(key): the record's key is 3000 bytes; at most 1024 are allowed");
    }

    @Test
    void a_bad_key_and_a_bad_value_are_both_named_key_first() {
        var invalid =
                (Validation.Invalid) reader.read(utf8("\u0000"), utf8("{\"command_id\":\"x\",\"type\":\"bogus\"}"));

        assertThat(invalid.violations()).extracting(Violation::rule).containsExactly("key-nul", "enum");
        assertThat(invalid.commandId()).contains("x");
        assertThat(reader.read(utf8("\u0000"), null)).isInstanceOf(Validation.Invalid.class);
    }

    @Test
    void a_key_is_kept_as_text_as_it_is_when_it_keeps_the_rule_else_as_its_digest() {
        assertThat(RecordKeys.text(utf8(IDENTITY))).isEqualTo(IDENTITY);
        assertThat(RecordKeys.text(null)).isEmpty();
        var nul = RecordKeys.text(utf8("a\u0000b"));
        var other = RecordKeys.text(utf8("a\u0000c"));
        var longKey = new byte[5_000];
        Arrays.fill(longKey, (byte) 'k');

        // printf 'a\0b' | sha256sum
        assertThat(nul).isEqualTo("sha256:59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
        assertThat(nul).hasSize(71).matches("sha256:[0-9a-f]{64}").isNotEqualTo(other);
        assertThat(RecordKeys.text(longKey)).hasSize(71);
        assertThat(RecordKeys.text(new byte[] {(byte) 0xFF})).hasSize(71);
    }

    @Test
    void a_nul_or_a_line_break_in_a_field_name_is_not_in_what_the_reader_says() {
        var unknownField = "{\"command_id\":\"c1\",\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE
                + "\",\"no\\u0000te\\n\":1}";
        var metadataKey = "{\"command_id\":\"c2\",\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE
                + "\",\"metadata\":{\"k\\u0000\":\"v\"}}";
        var loneSurrogate = "{\"command_id\":\"c3\",\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE
                + "\",\"\\ud800\":1}";

        for (var json : new String[] {unknownField, metadataKey, loneSurrogate}) {
            var invalid = (Validation.Invalid) reader.read(json);
            assertThat(invalid.summary()).as(json).doesNotContainPattern("[\\p{Cc}\\p{Cs}]");
            assertThat(invalid.violations())
                    .as(json)
                    .allSatisfy(violation -> assertThat(violation.pointer()).doesNotContainPattern("[\\p{Cc}\\p{Cs}]"));
        }
        assertThat(((Validation.Invalid) reader.read(unknownField)).violations())
                .extracting(Violation::pointer)
                .containsExactly("/no?te?");
        assertThat(((Validation.Invalid) reader.read(metadataKey)).violations())
                .extracting(Violation::pointer, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/metadata/k?", "nul"));
    }

    @Test
    void a_pair_of_surrogates_is_a_character_and_stays() {
        assertThat(new Violation("/x", "r", "emoji \uD83D\uDE00").message()).isEqualTo("emoji \uD83D\uDE00");
    }
}
