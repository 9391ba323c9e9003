package io.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed input gets a clear error that names its field, and none crashes the reader. */
class MalformedCommandsTest {
    private static final String USER = "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8";
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";
    private static final String MESSAGE = "328ef915-da13-4b58-83f6-6a35af3b08c0";
    private static final String PUSH = "{\"command_id\":\"c1\",\"type\":\"push\",\"identity_token\":\"" + IDENTITY
            + "\",\"endpoint\":\"twitter/post\",\"push\":{\"post\":{\"message\":\"hi\"}}";
    private static final String PUBLISH =
            "{\"command_id\":\"c1\",\"type\":\"publish\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"hi\"}},"
                    + "\"publish_for_identity\":{\"identity_token\":\"" + IDENTITY + "\"}}";

    private static Arguments bad(String name, String json, String pointer, String rule) {
        return Arguments.of(name, json.getBytes(StandardCharsets.UTF_8), pointer, rule);
    }

    private static Arguments badBytes(String name, byte[] bytes, String pointer, String rule) {
        return Arguments.of(name, bytes, pointer, rule);
    }

    static Stream<Arguments> malformed() {
        var nested = "[".repeat(5000) + "]".repeat(5000);
        var deepObject = "{\"command_id\":\"c1\",\"type\":\"push\",\"metadata\":" + "{\"a\":".repeat(40) + "1"
                + "}".repeat(40) + "}";
        var manyRecipients = new StringBuilder(
                "{\"command_id\":\"c\",\"type\":\"campaign\",\"campaign_id\":\"c\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}},\"recipients\":[");
        for (int i = 0; i < 10_001; i++) {
            manyRecipients
                    .append(i == 0 ? "" : ",")
                    .append("{\"identity_token\":\"")
                    .append(IDENTITY)
                    .append("\"}");
        }
        manyRecipients.append("]}");
        return Stream.of(
                bad("empty", "", "", "json"),
                bad("whitespace only", "   ", "", "json"),
                bad("truncated", PUSH.substring(0, 40), "", "json"),
                bad("trailing garbage is fine but a missing brace is not", PUSH, "", "json"),
                bad("not json", "publish this please", "", "json"),
                bad("a bare string", "\"publish\"", "", "object"),
                bad("a number", "42", "", "object"),
                bad("an array", "[" + PUSH + "}]", "", "object"),
                bad("null", "null", "", "object"),
                bad("single quotes", "{'command_id':'c1'}", "", "json"),
                bad("duplicate key", "{\"command_id\":\"a\",\"command_id\":\"b\",\"type\":\"delete\"}", "", "json"),
                bad("deeply nested arrays", nested, "", "json"),
                bad("deeply nested object", deepObject, "", "json"),
                bad(
                        "missing command_id",
                        "{\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE + "\"}",
                        "/command_id",
                        "required"),
                bad(
                        "empty command_id",
                        "{\"command_id\":\"\",\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE + "\"}",
                        "/command_id",
                        "min-length"),
                bad(
                        "command_id a number",
                        "{\"command_id\":42,\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE + "\"}",
                        "/command_id",
                        "string"),
                bad(
                        "command_id with a space",
                        "{\"command_id\":\"a b\",\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE + "\"}",
                        "/command_id",
                        "command-id"),
                bad(
                        "command_id with a slash",
                        "{\"command_id\":\"a/b\",\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE + "\"}",
                        "/command_id",
                        "command-id"),
                bad(
                        "command_id too long",
                        "{\"command_id\":\"" + "a".repeat(129) + "\",\"type\":\"delete\",\"sharing_message_token\":\""
                                + MESSAGE + "\"}",
                        "/command_id",
                        "command-id"),
                bad(
                        "command_id with NUL",
                        "{\"command_id\":\"a\\u0000b\",\"type\":\"delete\",\"sharing_message_token\":\"" + MESSAGE
                                + "\"}",
                        "/command_id",
                        "nul"),
                bad("missing type", "{\"command_id\":\"c1\"}", "/type", "required"),
                bad("unknown type", "{\"command_id\":\"c1\",\"type\":\"tweet\"}", "/type", "enum"),
                bad("type a number", "{\"command_id\":\"c1\",\"type\":3}", "/type", "string"),
                bad("type in capitals", "{\"command_id\":\"c1\",\"type\":\"PUSH\"}", "/type", "enum"),
                bad(
                        "created_at not an instant",
                        PUSH.replace("\"type\"", "\"created_at\":\"yesterday\",\"type\"") + "}",
                        "/created_at",
                        "instant"),
                bad(
                        "created_at a number",
                        PUSH.replace("\"type\"", "\"created_at\":1700000000,\"type\"") + "}",
                        "/created_at",
                        "string"),
                bad(
                        "not_before not an instant",
                        PUSH.replace("\"type\"", "\"not_before\":\"next monday\",\"type\"") + "}",
                        "/not_before",
                        "instant"),
                bad(
                        "not_before a number",
                        PUSH.replace("\"type\"", "\"not_before\":1700000000,\"type\"") + "}",
                        "/not_before",
                        "string"),
                bad(
                        "not_before more than 366 days ahead",
                        PUSH.replace("\"type\"", "\"not_before\":\"2999-01-01T00:00:00Z\",\"type\"") + "}",
                        "/not_before",
                        "max-ahead"),
                bad(
                        "campaign_id with spaces",
                        PUSH.replace("\"type\"", "\"campaign_id\":\"a b\",\"type\"") + "}",
                        "/campaign_id",
                        "campaign-id"),
                bad(
                        "metadata an array",
                        PUSH.replace("\"type\"", "\"metadata\":[1],\"type\"") + "}",
                        "/metadata",
                        "object"),
                bad(
                        "metadata with a number value",
                        PUSH.replace("\"type\"", "\"metadata\":{\"n\":1},\"type\"") + "}",
                        "/metadata/n",
                        "string"),
                bad(
                        "metadata value too long",
                        PUSH.replace("\"type\"", "\"metadata\":{\"n\":\"" + "x".repeat(1025) + "\"},\"type\"") + "}",
                        "/metadata/n",
                        "max-length"),
                bad("unknown top-level field", PUSH + ",\"priority\":\"high\"}", "/priority", "unknown-field"),
                bad(
                        "push without identity_token",
                        PUSH.replace("\"identity_token\":\"" + IDENTITY + "\",", "") + "}",
                        "/identity_token",
                        "required"),
                bad("identity_token not a UUID", PUSH.replace(IDENTITY, "12345") + "}", "/identity_token", "token"),
                bad(
                        "identity_token with path characters",
                        PUSH.replace(IDENTITY, "../../admin") + "}",
                        "/identity_token",
                        "token"),
                bad(
                        "identity_token with a query",
                        PUSH.replace(IDENTITY, IDENTITY + "?x=1") + "}",
                        "/identity_token",
                        "token"),
                bad(
                        "identity_token an object",
                        PUSH.replace("\"" + IDENTITY + "\"", "{}") + "}",
                        "/identity_token",
                        "string"),
                bad("unknown endpoint", PUSH.replace("twitter/post", "myspace/post") + "}", "/endpoint", "enum"),
                bad(
                        "endpoint with traversal",
                        PUSH.replace("twitter/post", "pinterest/board/../../x/pin") + "}",
                        "/endpoint",
                        "enum"),
                bad(
                        "endpoint with .json",
                        PUSH.replace("twitter/post", "twitter/post.json") + "}",
                        "/endpoint",
                        "enum"),
                bad(
                        "endpoint pointing at another host",
                        PUSH.replace("twitter/post", "@evil.example/twitter/post") + "}",
                        "/endpoint",
                        "enum"),
                bad(
                        "push missing",
                        PUSH.replace(",\"push\":{\"post\":{\"message\":\"hi\"}}", "") + "}",
                        "/push",
                        "required"),
                bad(
                        "push a string",
                        PUSH.replace("{\"post\":{\"message\":\"hi\"}}", "\"hi\"") + "}",
                        "/push",
                        "object"),
                bad(
                        "push empty",
                        PUSH.replace("{\"post\":{\"message\":\"hi\"}}", "{}") + "}",
                        "/push",
                        "min-properties"),
                bad(
                        "tweet over 140 characters",
                        PUSH.replace("\"hi\"", "\"" + "é".repeat(141) + "\"") + "}",
                        "/push/post/message",
                        "max-length"),
                bad(
                        "tweet with five attachments",
                        PUSH.replace(
                                        "\"message\":\"hi\"",
                                        "\"message\":\"hi\",\"attachments\":[\"1\",\"2\",\"3\",\"4\",\"5\"]")
                                + "}",
                        "/push/post/attachments",
                        "max-items"),
                bad(
                        "tweet without a message",
                        PUSH.replace("\"message\":\"hi\"", "\"location\":\"Paris\"") + "}",
                        "/push/post/message",
                        "required"),
                bad(
                        "facebook post with link and attachment",
                        PUSH.replace("twitter/post", "facebook/page/post")
                                        .replace(
                                                "{\"post\":{\"message\":\"hi\"}}",
                                                "{\"page\":{\"id\":\"1\",\"message\":\"hi\",\"link\":\"https://x.example/\",\"attachments\":[\"1\"]}}")
                                + "}",
                        "/push/page/attachments",
                        "link-or-attachments"),
                bad(
                        "facebook post with two attachments",
                        PUSH.replace("twitter/post", "facebook/page/post")
                                        .replace(
                                                "{\"post\":{\"message\":\"hi\"}}",
                                                "{\"page\":{\"id\":\"1\",\"message\":\"hi\",\"attachments\":[\"1\",\"2\"]}}")
                                + "}",
                        "/push/page/attachments",
                        "max-items"),
                bad(
                        "facebook/post, removed by Facebook",
                        PUSH.replace("twitter/post", "facebook/post") + "}",
                        "/endpoint",
                        "deprecated"),
                bad(
                        "facebook page post without the page",
                        PUSH.replace("twitter/post", "facebook/page/post") + "}",
                        "/push/page",
                        "required"),
                bad(
                        "linkedin post without a link",
                        PUSH.replace("twitter/post", "linkedin/post") + "}",
                        "/push/post/link",
                        "required"),
                bad(
                        "youtube video without a title",
                        PUSH.replace("twitter/post", "youtube/video")
                                        .replace(
                                                "{\"post\":{\"message\":\"hi\"}}",
                                                "{\"video\":{\"video_url\":\"https://x.example/v.mp4\"}}")
                                + "}",
                        "/push/video/title",
                        "required"),
                bad(
                        "twitter picture from a file URL",
                        PUSH.replace("twitter/post", "twitter/picture")
                                        .replace(
                                                "{\"post\":{\"message\":\"hi\"}}",
                                                "{\"picture\":{\"url\":\"file:///etc/passwd\"}}")
                                + "}",
                        "/push/picture/url",
                        "url"),
                bad("NUL inside push", PUSH.replace("\"hi\"", "\"h\\u0000i\"") + "}", "/push/post/message", "nul"),
                bad(
                        "publish without sharing_message",
                        "{\"command_id\":\"c1\",\"type\":\"publish\"}",
                        "/sharing_message",
                        "required"),
                bad(
                        "publish without parts",
                        PUBLISH.replace("\"parts\":{\"text\":{\"body\":\"hi\"}},", "") + "}",
                        "/sharing_message/parts",
                        "required"),
                bad(
                        "publish with neither text nor link",
                        PUBLISH.replace(
                                        "\"text\":{\"body\":\"hi\"}",
                                        "\"picture\":{\"url\":\"https://x.example/p.png\"}")
                                + "}",
                        "/sharing_message/parts/text",
                        "text-or-link"),
                bad(
                        "publish with both targets",
                        PUBLISH.replace(
                                        "\"publish_for_identity\"",
                                        "\"publish_for_user\":{\"user_token\":\"" + USER
                                                + "\",\"providers\":[\"facebook\"]},\"publish_for_identity\"")
                                + "}",
                        "/sharing_message/publish_for_identity",
                        "one-of"),
                bad(
                        "publish with no target",
                        PUBLISH.replace(",\"publish_for_identity\":{\"identity_token\":\"" + IDENTITY + "\"}", "")
                                + "}",
                        "/sharing_message/publish_for_user",
                        "one-of"),
                bad(
                        "publish for user without providers",
                        PUBLISH.replace(
                                        "\"publish_for_identity\":{\"identity_token\":\"" + IDENTITY + "\"}",
                                        "\"publish_for_user\":{\"user_token\":\"" + USER + "\"}")
                                + "}",
                        "/sharing_message/publish_for_user/providers",
                        "required"),
                bad(
                        "publish for user with unknown provider",
                        PUBLISH.replace(
                                        "\"publish_for_identity\":{\"identity_token\":\"" + IDENTITY + "\"}",
                                        "\"publish_for_user\":{\"user_token\":\"" + USER
                                                + "\",\"providers\":[\"myspace\"]}")
                                + "}",
                        "/sharing_message/publish_for_user/providers/0",
                        "provider"),
                bad(
                        "publish for user with a provider twice",
                        PUBLISH.replace(
                                        "\"publish_for_identity\":{\"identity_token\":\"" + IDENTITY + "\"}",
                                        "\"publish_for_user\":{\"user_token\":\"" + USER
                                                + "\",\"providers\":[\"twitter\",\"twitter\"]}")
                                + "}",
                        "/sharing_message/publish_for_user/providers/1",
                        "unique"),
                bad(
                        "publish with a bad link url",
                        PUBLISH.replace("\"text\":{\"body\":\"hi\"}", "\"link\":{\"url\":\"javascript:alert(1)\"}")
                                + "}",
                        "/sharing_message/parts/link/url",
                        "url"),
                bad(
                        "publish with tracking flag 2",
                        PUBLISH.replace(
                                        "\"text\":{\"body\":\"hi\"}",
                                        "\"text\":{\"body\":\"hi\"},\"flags\":{\"enable_tracking\":2}")
                                + "}",
                        "/sharing_message/parts/flags/enable_tracking",
                        "flag"),
                bad(
                        "publish with an unknown part",
                        PUBLISH.replace("\"text\":{\"body\":\"hi\"}", "\"text\":{\"body\":\"hi\"},\"poll\":{}") + "}",
                        "/sharing_message/parts/poll",
                        "unknown-field"),
                bad(
                        "publish body a number",
                        PUBLISH.replace("\"body\":\"hi\"", "\"body\":42") + "}",
                        "/sharing_message/parts/text/body",
                        "string"),
                bad(
                        "republish with parts",
                        "{\"command_id\":\"c1\",\"type\":\"republish\",\"sharing_message_token\":\"" + MESSAGE
                                + "\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}},\"publish_for_identity\":{\"identity_token\":\""
                                + IDENTITY + "\"}}}",
                        "/sharing_message/parts",
                        "not-allowed"),
                bad(
                        "republish without token",
                        "{\"command_id\":\"c1\",\"type\":\"republish\",\"sharing_message\":{\"publish_for_identity\":{\"identity_token\":\""
                                + IDENTITY + "\"}}}",
                        "/sharing_message_token",
                        "required"),
                bad(
                        "delete with a bad token",
                        "{\"command_id\":\"c1\",\"type\":\"delete\",\"sharing_message_token\":\"x\"}",
                        "/sharing_message_token",
                        "token"),
                bad(
                        "refresh without token",
                        "{\"command_id\":\"c1\",\"type\":\"refresh\"}",
                        "/sharing_message_token",
                        "required"),
                bad(
                        "campaign without campaign_id",
                        "{\"command_id\":\"c\",\"type\":\"campaign\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}},\"recipients\":[{\"identity_token\":\""
                                + IDENTITY + "\"}]}",
                        "/campaign_id",
                        "required"),
                bad(
                        "campaign without recipients",
                        "{\"command_id\":\"c\",\"type\":\"campaign\",\"campaign_id\":\"c\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}}}",
                        "/recipients",
                        "required"),
                bad(
                        "campaign with empty recipients",
                        "{\"command_id\":\"c\",\"type\":\"campaign\",\"campaign_id\":\"c\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}},\"recipients\":[]}",
                        "/recipients",
                        "required"),
                bad("campaign with 10,001 recipients", manyRecipients.toString(), "/recipients", "max-items"),
                bad(
                        "campaign recipient a string",
                        "{\"command_id\":\"c\",\"type\":\"campaign\",\"campaign_id\":\"c\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}},\"recipients\":[\""
                                + IDENTITY + "\"]}",
                        "/recipients/0",
                        "object"),
                bad(
                        "campaign recipient with a bad token",
                        "{\"command_id\":\"c\",\"type\":\"campaign\",\"campaign_id\":\"c\",\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}},\"recipients\":[{\"identity_token\":\"nope\"}]}",
                        "/recipients/0/identity_token",
                        "token"),
                bad(
                        "campaign with a negative offset",
                        "{\"command_id\":\"c\",\"type\":\"campaign\",\"campaign_id\":\"c\",\"recipient_offset\":-1,\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}},\"recipients\":[{\"identity_token\":\""
                                + IDENTITY + "\"}]}",
                        "/recipient_offset",
                        "range"),
                bad(
                        "campaign with a fractional offset",
                        "{\"command_id\":\"c\",\"type\":\"campaign\",\"campaign_id\":\"c\",\"recipient_offset\":1.5,\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"x\"}}},\"recipients\":[{\"identity_token\":\""
                                + IDENTITY + "\"}]}",
                        "/recipient_offset",
                        "range"),
                bad(
                        "huge number",
                        PUSH.replace("\"type\"", "\"metadata\":{\"n\":" + "9".repeat(2000) + "},\"type\"") + "}",
                        "",
                        "json"),
                bad(
                        "oversized command",
                        "{\"command_id\":\"c1\",\"type\":\"delete\",\"x\":\"" + "a".repeat(Limits.MAX_COMMAND_BYTES)
                                + "\"}",
                        "",
                        "max-size"),
                badBytes(
                        "invalid UTF-8",
                        new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
                        "",
                        "utf-8"),
                badBytes("raw NUL byte", "{\"command_id\":\"c1\"\u0000}".getBytes(StandardCharsets.UTF_8), "", "json"),
                badBytes("null record value", null, "", "required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void each_malformed_input_is_invalid_with_an_error_naming_its_field(
            String name, byte[] input, String pointer, String rule) {
        var validation = new CommandReader().read(input);

        assertThat(validation).as(name).isInstanceOf(Validation.Invalid.class);
        var invalid = (Validation.Invalid) validation;
        assertThat(invalid.violations()).as(name).anySatisfy(violation -> {
            assertThat(violation.pointer()).isEqualTo(pointer);
            assertThat(violation.rule()).isEqualTo(rule);
            assertThat(violation.message()).isNotBlank();
        });
        assertThat(invalid.summary().length()).as(name).isLessThan(10_000);
    }

    @Test
    void there_are_at_least_fifty_malformed_cases() {
        assertThat(malformed().count()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void an_invalid_command_still_names_its_id_and_type_for_the_dead_letter() {
        var invalid = (Validation.Invalid) new CommandReader().read(PUSH.replace("twitter/post", "myspace/post") + "}");

        assertThat(invalid.commandId()).contains("c1");
        assertThat(invalid.type()).contains("push");
    }

    @Test
    void random_bytes_never_crash_the_reader_and_are_always_invalid() {
        var random = new Random(42);
        var started = System.nanoTime();
        var results = new ArrayList<Validation>();
        for (int i = 0; i < 5_000; i++) {
            var bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            results.add(new CommandReader().read(bytes));
        }
        assertThat(results).allMatch(Validation.Invalid.class::isInstance);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("5,000 random inputs take no pathological time")
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void the_json_schema_rejects_the_malformed_commands_that_are_json_objects_too() throws Exception {
        var missed = new ArrayList<String>();
        for (var arguments : malformed().toList()) {
            var name = (String) arguments.get()[0];
            var bytes = (byte[]) arguments.get()[1];
            if (bytes == null || bytes.length > 100_000) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode node;
            try {
                node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
            } catch (Exception notJson) {
                continue;
            }
            if (node == null || !node.isObject() || SCHEMA_CANNOT_SAY.contains(name)) {
                continue;
            }
            if (JsonSchemas.validate(JsonSchemas.COMMAND, node).isEmpty()) {
                missed.add(name);
            }
        }
        assertThat(missed).isEmpty();
    }

    /** Rules only the Java reader checks (documented in the schema's description). */
    private static final List<String> SCHEMA_CANNOT_SAY = List.of(
            "command_id with NUL",
            "NUL inside push",
            "created_at not an instant",
            "not_before not an instant",
            "not_before more than 366 days ahead",
            "deeply nested object",
            "huge number",
            "duplicate key");
}
