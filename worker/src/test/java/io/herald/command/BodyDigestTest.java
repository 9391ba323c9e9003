package io.herald.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.schema.Command;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import org.junit.jupiter.api.Test;

/** The digest a command's id is kept with: the same command however written, another for any other value. */
class BodyDigestTest {
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";
    private static final String PUSH = """
            {"command_id":"p-1","type":"push","identity_token":"%s","endpoint":"twitter/post",\
            "metadata":{"origin":"shop","campaign":"x"},"push":{"post":{"message":"Hello","flags":[1,2.5,true,null]}}}""".formatted(IDENTITY);

    private static Command command(String json) {
        var validation = new CommandReader().read(json);
        assertThat(validation).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) validation).command();
    }

    private static String digest(String json) {
        return java.util.HexFormat.of().formatHex(BodyDigest.of(command(json)));
    }

    @Test
    void is_the_sha256_of_the_body_with_sorted_fields_and_no_whitespace() throws Exception {
        var canonical = """
                {"command_id":"p-1","endpoint":"twitter/post","identity_token":"%s",\
                "metadata":{"campaign":"x","origin":"shop"},"push":{"post":{"flags":[1,2.5,true,null],"message":"Hello"}},\
                "type":"push"}""".formatted(IDENTITY);
        var sha = java.security.MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(digest(PUSH)).isEqualTo(java.util.HexFormat.of().formatHex(sha));
    }

    @Test
    void field_order_whitespace_and_escapes_do_not_change_it() {
        var reordered = """
                {
                  "push" : { "post" : { "flags" : [ 1, 2.5, true, null ], "message" : "Hell\\u006f" } },
                  "metadata" : { "campaign" : "x", "origin" : "shop" },
                  "endpoint" : "twitter/post", "type" : "push", "identity_token" : "%s", "command_id" : "p-1"
                }""".formatted(IDENTITY);

        assertThat(digest(reordered)).isEqualTo(digest(PUSH));
    }

    @Test
    void created_at_is_left_out_of_it() {
        var stamped = PUSH.replace("{\"command_id\"", "{\"created_at\":\"2026-12-01T10:00:00Z\",\"command_id\"");

        assertThat(digest(stamped)).isEqualTo(digest(PUSH));
    }

    @Test
    void any_other_value_changes_it() {
        var original = digest(PUSH);

        assertThat(digest(PUSH.replace("Hello", "Hello!"))).isNotEqualTo(original);
        assertThat(digest(PUSH.replace("\"shop\"", "\"shop2\""))).isNotEqualTo(original);
        assertThat(digest(PUSH.replace("2.5", "2.6"))).isNotEqualTo(original);
        assertThat(digest(PUSH.replace("true", "false"))).isNotEqualTo(original);
        assertThat(digest(PUSH.replace("[1,2.5,true,null]", "[2.5,1,true,null]")))
                .as("an array's order counts")
                .isNotEqualTo(original);
        assertThat(digest(PUSH.replace(IDENTITY, "b1f0a6de-3a51-4b6c-9d1e-2f4c8a7e5d10")))
                .isNotEqualTo(original);
        assertThat(digest(PUSH.replace("\"p-1\"", "\"p-2\""))).isNotEqualTo(original);
        assertThat(digest(PUSH.replace(",\"endpoint\"", ",\"not_before\":\"2026-12-01T10:00:00Z\",\"endpoint\"")))
                .as("not_before is part of the command")
                .isNotEqualTo(original);
    }

    @Test
    void a_reason_shows_its_first_twelve_hex_characters() {
        var digest = BodyDigest.of(command(PUSH));

        assertThat(BodyDigest.shown(digest))
                .hasSize(12)
                .isEqualTo(java.util.HexFormat.of().formatHex(digest).substring(0, 12));
    }
}
