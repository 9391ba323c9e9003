package io.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each push endpoint's body is checked as far as OneAll describes it, by the reader and the JSON Schema alike. */
class PushRulesTest {
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";

    static String push(String endpoint, String body) {
        return "{\"command_id\":\"c1\",\"type\":\"push\",\"identity_token\":\"" + IDENTITY + "\",\"endpoint\":\""
                + endpoint + "\",\"push\":" + body + "}";
    }

    private static Arguments ok(String endpoint, String body) {
        return Arguments.of(endpoint, body);
    }

    private static Arguments bad(String name, String endpoint, String body, String pointer, String rule) {
        return Arguments.of(name, endpoint, body, pointer, rule);
    }

    static Stream<Arguments> validBodies() {
        return Stream.of(
                ok(
                        "facebook/picture",
                        "{\"picture\":{\"url\":\"https://x.example/p.png\",\"description\":\"d\",\"create_post\":true}}"),
                ok("facebook/video", "{\"video\":{\"url\":\"https://x.example/v.mp4\"}}"),
                ok("facebook/group/post", "{\"group\":{\"id\":\"1\",\"message\":\"hi\"}}"),
                ok("facebook/group/post", "{\"group\":{\"attachments\":[\"10213097336001811\"]}}"),
                ok("facebook/group/picture", "{\"group\":{\"id\":\"1\",\"url\":\"https://x.example/p.png\"}}"),
                ok("facebook/group/video", "{\"group\":{\"id\":\"1\"}}"),
                ok(
                        "facebook/page/post",
                        "{\"page\":{\"id\":\"1\",\"message\":\"hi\",\"link\":\"https://x.example/\"}}"),
                ok(
                        "facebook/page/post",
                        "{\"page\":{\"id\":\"1\",\"message\":\"hi\",\"attachments\":[\"10213097336001811\"]}}"),
                ok(
                        "facebook/page/picture",
                        "{\"page\":{\"id\":\"1\",\"url\":\"https://x.example/p.png\",\"description\":\"\"}}"),
                ok("facebook/page/video", "{\"page\":{\"id\":\"1\",\"url\":\"http://x.example/v.mp4\"}}"),
                ok("linkedin/post", "{\"post\":{\"link\":\"https://x.example/\"}}"),
                ok(
                        "linkedin/post",
                        "{\"post\":{\"link\":\"https://x.example/\",\"title\":\"t\",\"description\":\"d\",\"message\":\"m\",\"picture\":\"https://x.example/p.png\"}}"),
                ok("linkedin/company/post", "{\"post\":{\"company\":\"2414183\",\"link\":\"https://x.example/\"}}"),
                ok("pinterest/board/1234567890/pin", "{\"pin\":{\"description\":\"d\"}}"),
                ok(
                        "pinterest/board/1234567890/pin",
                        "{\"pin\":{\"description\":\"d\",\"picture\":\"https://x.example/p.png\",\"link\":\"https://x.example/\"}}"),
                ok("pinterest/board", "{\"board\":{\"name\":\"Spring\"}}"),
                ok(
                        "twitter/post",
                        "{\"post\":{\"message\":\"hi\",\"attachments\":[\"1\",\"2\",\"3\",\"4\"],\"location\":\"Paris FRANCE\"}}"),
                ok("twitter/post", "{\"post\":{\"message\":\"" + "\uD83D\uDE00".repeat(140) + "\"}}"),
                ok("twitter/picture", "{\"picture\":{\"url\":\"https://x.example/p.png\"}}"),
                ok(
                        "twitter/video",
                        "{\"video\":{\"video_url\":\"https://x.example/v.mp4\",\"callback_url\":\"https://x.example/done\"}}"),
                ok(
                        "youtube/video",
                        "{\"video\":{\"video_url\":\"https://x.example/v.mp4\",\"title\":\"Launch\",\"thumbnail_url\":\"https://x.example/t.png\"}}"),
                ok("youtube/playlist/PL42/video", "{\"video\":{\"video_id\":\"dQw4w9WgXcQ\"}}"),
                ok("youtube/playlist", "{\"playlist\":{\"title\":\"Launches\"}}"),
                ok("youtube/channel/section", "{\"section\":{\"title\":\"Highlights\"}}"));
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                bad(
                        "facebook picture without a url",
                        "facebook/picture",
                        "{\"picture\":{\"description\":\"d\"}}",
                        "/push/picture/url",
                        "required"),
                bad(
                        "facebook picture under post",
                        "facebook/picture",
                        "{\"post\":{\"url\":\"https://x.example/p.png\"}}",
                        "/push/picture",
                        "required"),
                bad(
                        "facebook picture with create_post yes",
                        "facebook/picture",
                        "{\"picture\":{\"url\":\"https://x.example/p.png\",\"create_post\":\"yes\"}}",
                        "/push/picture/create_post",
                        "boolean"),
                bad(
                        "facebook video from ftp",
                        "facebook/video",
                        "{\"video\":{\"url\":\"ftp://x.example/v.mp4\"}}",
                        "/push/video/url",
                        "url"),
                bad(
                        "facebook group post with nothing to say",
                        "facebook/group/post",
                        "{\"group\":{\"id\":\"1\"}}",
                        "/push/group/message",
                        "required"),
                bad(
                        "facebook group post as a string",
                        "facebook/group/post",
                        "{\"group\":\"1\"}",
                        "/push/group",
                        "object"),
                bad(
                        "facebook group post with link and attachment",
                        "facebook/group/post",
                        "{\"group\":{\"link\":\"https://x.example/\",\"attachments\":[\"1\"]}}",
                        "/push/group/attachments",
                        "link-or-attachments"),
                bad(
                        "facebook group picture from javascript",
                        "facebook/group/picture",
                        "{\"group\":{\"url\":\"javascript:alert(1)\"}}",
                        "/push/group/url",
                        "url"),
                bad(
                        "facebook group video under video",
                        "facebook/group/video",
                        "{\"video\":{\"url\":\"https://x.example/v.mp4\"}}",
                        "/push/group",
                        "required"),
                bad(
                        "facebook page post without an id",
                        "facebook/page/post",
                        "{\"page\":{\"message\":\"hi\"}}",
                        "/push/page/id",
                        "required"),
                bad(
                        "facebook page post without a message",
                        "facebook/page/post",
                        "{\"page\":{\"id\":\"1\",\"link\":\"https://x.example/\"}}",
                        "/push/page/message",
                        "required"),
                bad(
                        "facebook page post under post",
                        "facebook/page/post",
                        "{\"post\":{\"message\":\"hi\"}}",
                        "/push/page",
                        "required"),
                bad(
                        "facebook page post with a numeric attachment",
                        "facebook/page/post",
                        "{\"page\":{\"id\":\"1\",\"message\":\"hi\",\"attachments\":[1]}}",
                        "/push/page/attachments/0",
                        "string"),
                bad(
                        "facebook page post with a bad link",
                        "facebook/page/post",
                        "{\"page\":{\"id\":\"1\",\"message\":\"hi\",\"link\":\"www.x.example\"}}",
                        "/push/page/link",
                        "url"),
                bad(
                        "facebook page picture without a url",
                        "facebook/page/picture",
                        "{\"page\":{\"id\":\"1\"}}",
                        "/push/page/url",
                        "required"),
                bad(
                        "facebook page picture with a numeric id",
                        "facebook/page/picture",
                        "{\"page\":{\"id\":1,\"url\":\"https://x.example/p.png\"}}",
                        "/push/page/id",
                        "string"),
                bad(
                        "facebook page video from a file",
                        "facebook/page/video",
                        "{\"page\":{\"url\":\"file:///etc/passwd\"}}",
                        "/push/page/url",
                        "url"),
                bad(
                        "linkedin post without a link",
                        "linkedin/post",
                        "{\"post\":{\"message\":\"hi\"}}",
                        "/push/post/link",
                        "required"),
                bad(
                        "linkedin post with a picture that is no URL",
                        "linkedin/post",
                        "{\"post\":{\"link\":\"https://x.example/\",\"picture\":\"p.png\"}}",
                        "/push/post/picture",
                        "url"),
                bad(
                        "linkedin post with a numeric title",
                        "linkedin/post",
                        "{\"post\":{\"link\":\"https://x.example/\",\"title\":7}}",
                        "/push/post/title",
                        "string"),
                bad(
                        "linkedin company post without a company",
                        "linkedin/company/post",
                        "{\"post\":{\"link\":\"https://x.example/\"}}",
                        "/push/post/company",
                        "required"),
                bad(
                        "pinterest pin with a picture that is no URL",
                        "pinterest/board/b1/pin",
                        "{\"pin\":{\"picture\":\"p.png\"}}",
                        "/push/pin/picture",
                        "url"),
                bad("pinterest pin as a list", "pinterest/board/b1/pin", "{\"pin\":[]}", "/push/pin", "object"),
                bad(
                        "pinterest board under pin",
                        "pinterest/board",
                        "{\"pin\":{\"name\":\"Spring\"}}",
                        "/push/board",
                        "required"),
                bad(
                        "tweet with a numeric location",
                        "twitter/post",
                        "{\"post\":{\"message\":\"hi\",\"location\":75}}",
                        "/push/post/location",
                        "string"),
                bad(
                        "tweet with one attachment not in a list",
                        "twitter/post",
                        "{\"post\":{\"message\":\"hi\",\"attachments\":\"1\"}}",
                        "/push/post/attachments",
                        "array"),
                bad(
                        "tweet of 141 emoji",
                        "twitter/post",
                        "{\"post\":{\"message\":\"" + "\uD83D\uDE00".repeat(141) + "\"}}",
                        "/push/post/message",
                        "max-length"),
                bad(
                        "twitter picture without a url",
                        "twitter/picture",
                        "{\"picture\":{\"description\":\"d\"}}",
                        "/push/picture/url",
                        "required"),
                bad(
                        "twitter video with url instead of video_url",
                        "twitter/video",
                        "{\"video\":{\"url\":\"https://x.example/v.mp4\"}}",
                        "/push/video/video_url",
                        "required"),
                bad(
                        "twitter video with a bad callback",
                        "twitter/video",
                        "{\"video\":{\"video_url\":\"https://x.example/v.mp4\",\"callback_url\":\"x\"}}",
                        "/push/video/callback_url",
                        "url"),
                bad(
                        "youtube video without a title",
                        "youtube/video",
                        "{\"video\":{\"video_url\":\"https://x.example/v.mp4\"}}",
                        "/push/video/title",
                        "required"),
                bad(
                        "youtube video with a bad thumbnail",
                        "youtube/video",
                        "{\"video\":{\"video_url\":\"https://x.example/v.mp4\",\"title\":\"t\",\"thumbnail_url\":\"t.png\"}}",
                        "/push/video/thumbnail_url",
                        "url"),
                bad(
                        "youtube playlist video with a bad video_url",
                        "youtube/playlist/PL42/video",
                        "{\"video\":{\"video_url\":\"v.mp4\"}}",
                        "/push/video/video_url",
                        "url"),
                bad(
                        "youtube playlist under list",
                        "youtube/playlist",
                        "{\"list\":{\"title\":\"t\"}}",
                        "/push/playlist",
                        "required"),
                bad(
                        "youtube channel section as a string",
                        "youtube/channel/section",
                        "{\"section\":\"Highlights\"}",
                        "/push/section",
                        "object"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("validBodies")
    void a_body_as_oneall_describes_it_is_valid_under_the_reader_and_the_json_schema(String endpoint, String body)
            throws Exception {
        var json = push(endpoint, body);

        assertThat(new CommandReader().read(json)).as(json).isInstanceOf(Validation.Valid.class);
        assertThat(JsonSchemas.validate(JsonSchemas.COMMAND, CommandReader.MAPPER.readTree(json)))
                .as(json)
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("validBodies")
    void fields_no_rule_names_are_passed_on_to_oneall(String endpoint, String body) throws Exception {
        var push = (ObjectNode) CommandReader.MAPPER.readTree(body);
        push.put("shape_of_tomorrow", 1);
        ((ObjectNode) push.elements().next()).putObject("new_option").put("enabled", true);
        var json = push(endpoint, CommandReader.MAPPER.writeValueAsString(push));

        var validation = new CommandReader().read(json);

        assertThat(validation).as(json).isInstanceOf(Validation.Valid.class);
        assertThat(((Command.Push) ((Validation.Valid) validation).command()).push())
                .isEqualTo(push);
        assertThat(JsonSchemas.validate(JsonSchemas.COMMAND, CommandReader.MAPPER.readTree(json)))
                .as(json)
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void a_body_that_breaks_a_rule_is_invalid_under_both_and_the_reader_names_the_field(
            String name, String endpoint, String body, String pointer, String rule) throws Exception {
        var json = push(endpoint, body);

        var validation = new CommandReader().read(json);

        assertThat(validation).as(name).isInstanceOf(Validation.Invalid.class);
        assertThat(((Validation.Invalid) validation).violations()).as(name).anySatisfy(violation -> {
            assertThat(violation.pointer()).isEqualTo(pointer);
            assertThat(violation.rule()).isEqualTo(rule);
        });
        assertThat(JsonSchemas.validate(JsonSchemas.COMMAND, CommandReader.MAPPER.readTree(json)))
                .as(name)
                .isNotEmpty();
    }

    @Test
    void every_endpoint_but_the_refused_facebook_post_has_a_valid_and_an_invalid_body_here() {
        var accepted = EnumSet.complementOf(EnumSet.of(PushEndpoint.FACEBOOK_POST));

        assertThat(endpointsOf(validBodies(), 0)).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(endpointsOf(invalidBodies(), 1)).containsExactlyInAnyOrderElementsOf(accepted);
    }

    private static List<PushEndpoint> endpointsOf(Stream<Arguments> cases, int index) {
        var endpoints = new ArrayList<PushEndpoint>();
        cases.forEach(
                arguments -> endpoints.add(PushEndpoint.parse((String) arguments.get()[index])
                        .orElseThrow()
                        .endpoint()));
        return endpoints.stream().distinct().toList();
    }

    @Test
    void facebook_post_is_refused_whatever_its_body_and_the_error_points_to_page_posts() {
        var json =
                push("facebook/post", "{\"post\":{\"message\":\"Hello World!\",\"link\":\"https://www.oneall.com/\"}}");

        var invalid = (Validation.Invalid) new CommandReader().read(json);

        assertThat(invalid.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/endpoint");
            assertThat(violation.rule()).isEqualTo("deprecated");
            assertThat(violation.message())
                    .isEqualTo("facebook/post is deprecated: Facebook removed posting to personal"
                            + " profiles on 2018-08-01; use facebook/page/post with push.page.id");
        });
        assertThat(invalid.type()).contains("push");
        assertThat(PushEndpoint.parse("facebook/post"))
                .map(PushEndpoint.Resolved::endpoint)
                .contains(PushEndpoint.FACEBOOK_POST);
    }

    @Test
    void a_refused_endpoint_with_a_broken_body_reports_the_refusal_not_the_body() {
        var invalid = (Validation.Invalid) new CommandReader().read(push("facebook/post", "{\"page\":{}}"));

        assertThat(invalid.violations()).extracting(Violation::rule).containsExactly("deprecated");
    }
}
