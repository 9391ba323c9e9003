package io.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The example commands in {@code schema/examples} are real files, and each is valid under both validators. */
class ExamplesTest {

    static Stream<String> examples() throws IOException {
        var lines = new ArrayList<String>();
        try (var files = Files.list(Path.of("examples"))) {
            for (var file : files.sorted().toList()) {
                Files.readAllLines(file).stream()
                        .filter(line -> !line.isBlank())
                        .forEach(lines::add);
            }
        }
        assertThat(lines).hasSizeGreaterThanOrEqualTo(29);
        return lines.stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void every_example_is_a_valid_command_under_the_reader_and_the_json_schema(String json) throws IOException {
        var validation = new CommandReader().read(json);

        assertThat(validation).isInstanceOf(Validation.Valid.class);
        assertThat(JsonSchemas.validate(JsonSchemas.COMMAND, CommandReader.MAPPER.readTree(json)))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void every_example_round_trips_to_the_same_command(String json) throws IOException {
        var command = ((Validation.Valid) new CommandReader().read(json)).command();
        var again = ((Validation.Valid)
                        new CommandReader().read(CommandReader.MAPPER.writeValueAsBytes(command.json())))
                .command();

        assertThat(again).isEqualTo(command);
        assertThat(again.routingKey()).isEqualTo(command.routingKey());
    }

    @Test
    void there_is_an_example_of_every_type_and_every_push_endpoint_but_the_refused_facebook_post() throws IOException {
        var commands = examples()
                .map(json -> ((Validation.Valid) new CommandReader().read(json)).command())
                .toList();

        assertThat(commands).extracting(Command::type).contains(CommandType.values());
        assertThat(commands.stream()
                        .filter(Command.Push.class::isInstance)
                        .map(c -> ((Command.Push) c).endpoint().endpoint())
                        .distinct()
                        .toList())
                .containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(EnumSet.of(PushEndpoint.FACEBOOK_POST)));
        assertThat(commands.stream().map(Command::commandId).distinct().count()).isEqualTo(commands.size());
    }

    @Test
    void the_scheduled_example_carries_its_not_before() throws IOException {
        var json = Files.readString(Path.of("examples", "push-scheduled.json"));

        var command = ((Validation.Valid) new CommandReader().read(json)).command();

        assertThat(command.envelope().notBefore()).contains(Instant.parse("2026-12-24T09:00:00Z"));
    }
}
