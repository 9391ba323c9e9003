package io.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushEndpointTest {

    @Test
    void there_are_twenty_endpoints_and_each_parses_to_itself() {
        assertThat(PushEndpoint.values()).hasSize(20);
        for (var endpoint : PushEndpoint.values()) {
            var path = endpoint.template().replace("<board_id>", "b1").replace("<playlist_id>", "p1");
            var parsed = PushEndpoint.parse(path);
            assertThat(parsed).as(path).isPresent();
            assertThat(parsed.get().endpoint()).isEqualTo(endpoint);
            assertThat(parsed.get().path()).isEqualTo(path);
        }
    }

    @Test
    void ids_are_read_from_the_path() {
        var pin = PushEndpoint.parse("pinterest/board/1234_ab-C/pin").orElseThrow();
        assertThat(pin.endpoint()).isEqualTo(PushEndpoint.PINTEREST_PIN);
        assertThat(pin.id()).isEqualTo("1234_ab-C");
        assertThat(pin.endpoint().provider()).isEqualTo("pinterest");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "facebook",
                "facebook/post/",
                "/facebook/post",
                "facebook/post.json",
                "myspace/post",
                "pinterest/board/../pin",
                "pinterest/board/a/b/pin",
                "pinterest/board//pin",
                "pinterest/board/a%2F/pin",
                "youtube/playlist/a?x=1/video",
                "twitter/post#",
                "TWITTER/POST",
                "pinterest/board/a.b/pin"
            })
    void anything_else_is_not_an_endpoint(String path) {
        assertThat(PushEndpoint.parse(path)).isEmpty();
    }
}
