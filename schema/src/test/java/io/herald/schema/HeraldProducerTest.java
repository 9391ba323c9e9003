package io.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class HeraldProducerTest {
    private final MockProducer<byte[], byte[]> kafka =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final HeraldProducer producer = new HeraldProducer(kafka, Topics.COMMANDS);

    private static String example(String name) throws Exception {
        return Files.readString(Path.of("examples", name)).trim();
    }

    private String keyOf(int index) {
        return new String(kafka.history().get(index).key(), StandardCharsets.UTF_8);
    }

    @Test
    void a_valid_command_is_sent_as_is_keyed_by_its_routing_key() throws Exception {
        var json = example("push-twitter-post.json");

        producer.send(json).join();

        assertThat(kafka.history()).hasSize(1);
        assertThat(kafka.history().get(0).topic()).isEqualTo("herald.commands");
        assertThat(keyOf(0)).isEqualTo("03939f19-98bd-4a07-a949-531f15ed346b");
        assertThat(new String(kafka.history().get(0).value(), StandardCharsets.UTF_8))
                .isEqualTo(json);
    }

    @Test
    void each_type_is_keyed_by_its_routing_key() throws Exception {
        producer.sendAll(List.of(
                        example("publish-for-user.json"),
                        example("publish-for-identity.json"),
                        example("republish.json"),
                        example("delete.json"),
                        example("refresh.json"),
                        example("campaign.json")))
                .join();

        assertThat(List.of(keyOf(0), keyOf(1), keyOf(2), keyOf(3), keyOf(4), keyOf(5)))
                .containsExactly(
                        "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8", // publish_for_user: the user token
                        "32eb78f4-f82e-4833-8a7b-fa0348c6ff5d", // publish_for_identity: the identity token
                        "c1d82726-e81d-4e89-82af-fed19df8f64e", // republish for a user
                        "328ef915-da13-4b58-83f6-6a35af3b08c0", // delete: the sharing message token
                        "328ef915-da13-4b58-83f6-6a35af3b08c0", // refresh
                        "spring-sale"); // campaign: the campaign id
    }

    @Test
    void an_invalid_command_never_reaches_kafka_and_the_error_names_the_field() {
        assertThatThrownBy(() -> producer.send("{\"command_id\":\"c1\",\"type\":\"push\"}")
                        .join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(InvalidCommandException.class)
                .hasMessageContaining("/identity_token");
        assertThat(kafka.history()).isEmpty();
    }

    @Test
    void send_all_sends_nothing_when_one_command_is_invalid() throws Exception {
        var future = producer.sendAll(List.of(example("delete.json"), "{\"command_id\":\"broken\"}"));

        assertThat(future).isCompletedExceptionally();
        assertThat(kafka.history()).isEmpty();
    }

    @Test
    void the_producer_is_idempotent_with_acks_all_whatever_the_overrides() {
        var config = HeraldProducer.producerConfig(
                "localhost:9092", java.util.Map.of("acks", "0", "enable.idempotence", false));

        assertThat(config).containsEntry("acks", "all").containsEntry("enable.idempotence", true);
    }
}
