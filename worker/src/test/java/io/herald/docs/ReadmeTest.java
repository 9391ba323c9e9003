package io.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.config.HeraldConfig;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README cannot drift from the code: its configuration table and its example commands are checked. */
class ReadmeTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void the_configuration_table_lists_every_setting_with_its_default_in_order() throws IOException {
        var rows = new LinkedHashMap<String, String>();
        var row = Pattern.compile("^\\| `([A-Z_]+)` \\| (.*?) \\| (.*?) \\|$");
        for (var line : Files.readAllLines(README)) {
            var matcher = row.matcher(line);
            if (matcher.matches()) {
                rows.put(matcher.group(1), matcher.group(2));
            }
        }
        var expected = new LinkedHashMap<String, String>();
        io.herald.config.Settings.ALL.forEach(setting -> expected.put(setting.name(), setting.documentedDefault()));

        assertThat(rows).containsExactlyEntriesOf(expected);
    }

    @Test
    void every_json_example_in_the_readme_is_a_valid_command() throws IOException {
        var examples = new ArrayList<String>();
        boolean inJson = false;
        for (var line : Files.readAllLines(README)) {
            if (line.equals("```json")) {
                inJson = true;
            } else if (line.startsWith("```")) {
                inJson = false;
            } else if (inJson && !line.isBlank()) {
                examples.add(line);
            }
        }

        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        assertThat(examples).allSatisfy(json -> assertThat(new CommandReader().read(json)).isInstanceOf(Validation.Valid.class));
    }

    @Test
    void the_test_command_of_the_readme_is_the_one_ci_runs() throws IOException {
        var readme = Files.readString(README);
        var ci = Files.readString(Path.of("..", ".ci", "run"));

        assertThat(readme).contains("./mvnw -B verify");
        assertThat(ci).contains("./mvnw -B verify");
    }
}
