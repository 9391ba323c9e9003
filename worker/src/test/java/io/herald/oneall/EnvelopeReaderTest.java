package io.herald.oneall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.command.api.Answers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An answer read for a target is the whole answer read, then narrowed to the target's publications. */
class EnvelopeReaderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode wholeThenNarrowed(byte[] bytes, String target) throws Exception {
        var envelope = MAPPER.readTree(bytes);
        var data = envelope.path("response").path("result").path("data");
        if (!data.isObject()) {
            return envelope;
        }
        var copy = envelope.deepCopy();
        ((ObjectNode) copy.get("response").get("result")).set("data", Answers.narrowed(data, target));
        return copy;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // a whole message: the target's publications among others', fields before and after, nested values
                "{'response': {'request': {'status': {'flag': 'success', 'code': 200}}, 'result': {'data': {'x': [1, {'a':"
                        + " null}], 'sharing_message': {'sharing_message_token': 'T', 'publications': [{'user_token': 'u1',"
                        + " 'status': {'flag': 'success'}, 'tracked_shorturls': [{'shorturl': {'x': 'é\\u00e9'}}]},"
                        + " {'provider': 'twitter', 'user_token': 'u2', 'status': {'code': 200, 'list': [[1], {}]}},"
                        + " {'identity_token': 'u2', 'provider': 'facebook'}, {'user_token': 'u3', 'identity_token':"
                        + " 'u4'}], 'parts': {'text': {'body': 'hi ✓'}}}}}}}",
                // publications paged as {count, entries}
                "{'response': {'result': {'data': {'sharing_message': {'publications': {'count': 3, 'entries': [{'user_token':"
                        + " 'u1'}, {'user_token': 'u2'}, {'user_token': 'u3'}], 'pagination': {'page': 1}}}}}}}",
                // tokens that are not strings, repeated, or entries that are not objects
                "{'response': {'result': {'data': {'sharing_message': {'publications': [{'user_token': null}, {'user_token':"
                        + " {'u2': 1}}, {'user_token': ['u2']}, {'user_token': 'u2', 'user_token': 'u1'}, {'user_token': 'u1',"
                        + " 'user_token': 'u2'}, 'u2', ['u2'], null, 7, {'identity_token': 12}]}}}}}",
                // only the target's publications, none, odd shapes, no data
                "{'response': {'result': {'data': {'sharing_message': {'publications': [{'user_token': 'u2'}]}}}}}",
                "{'response': {'result': {'data': {'sharing_message': {'publications': []}}}}}",
                "{'response': {'result': {'data': {'sharing_message': {'publications': {'entries': 'none'}}}}}}",
                "{'response': {'result': {'data': {'sharing_message': {'publications': {'entries': {'entries': []}}}}}}}",
                "{'response': {'result': {'data': {'sharing_message': {'publications': 7}}}}}",
                "{'response': {'result': {'data': {'sharing_message': [1]}}}}",
                "{'response': {'result': {'data': null}, 'request': {'status': {'flag': 'error'}}}}",
                "{'response': {'result': {'data': {'push': {'post_id': 'p'}, 'publications': [{'user_token': 'u1'}]}}}}",
                // publications elsewhere than in the sharing message are left alone
                "{'response': {'result': {'data': {'other': {'sharing_message': {'publications': [{'user_token': 'u1'}]}}}}}}",
                "[1, 2]",
                "'text'",
                "  "
            })
    void the_answer_read_for_a_target_is_the_whole_answer_narrowed(String json) throws Exception {
        var bytes = bytes(json);

        assertThat(EnvelopeReader.read(bytes, "u2")).isEqualTo(wholeThenNarrowed(bytes, "u2"));
        assertThat(EnvelopeReader.read(bytes, "12")).isEqualTo(wholeThenNarrowed(bytes, "12"));
        assertThat(EnvelopeReader.read(bytes, null)).isEqualTo(MAPPER.readTree(bytes));
    }

    @Test
    void only_the_targets_publications_are_in_the_tree() throws Exception {
        var read = EnvelopeReader.read(
                bytes("{'response': {'result': {'data': {'sharing_message': {'publications': [{'user_token': 'u1'},"
                        + " {'provider': 'x', 'user_token': 'u2'}, {'user_token': 'u3'}]}}}}}"),
                "u2");

        assertThat(read.at("/response/result/data/sharing_message/publications"))
                .containsExactly(MAPPER.readTree("{\"provider\": \"x\", \"user_token\": \"u2\"}"));
    }

    @Test
    void a_body_cut_short_fails_as_reading_it_whole_fails() {
        var bytes = bytes("{'response': {'result': {'data': {'sharing_message': {'publications': [{'user_token': ");

        assertThatThrownBy(() -> EnvelopeReader.read(bytes, "u2")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> MAPPER.readTree(bytes)).isInstanceOf(JsonProcessingException.class);
    }
}
