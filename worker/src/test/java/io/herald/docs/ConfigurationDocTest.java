package io.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.config.Setting;
import io.herald.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's table is the settings catalogue, row for row: each setting's name, default and meaning. */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    static List<String> expectedRows() {
        var rows = new ArrayList<String>();
        for (Setting<?> setting : Settings.ALL) {
            rows.add("| `" + setting.name() + "` | "
                    + (setting.documentedDefault().startsWith("(")
                            ? setting.documentedDefault()
                            : "`" + setting.documentedDefault() + "`")
                    + " | " + setting.description() + (setting.secret() ? " (secret: never logged)" : "")
                    + " |");
        }
        return rows;
    }

    @Test
    void the_configuration_table_is_every_setting_with_its_default_and_meaning_in_order() throws IOException {
        // the settings' table, from its header to the first line that is not a row (other tables follow it)
        var rows = Files.readAllLines(DOC).stream()
                .dropWhile(line -> !line.equals("| variable | default | meaning |"))
                .takeWhile(line -> line.startsWith("|"))
                .filter(line -> line.startsWith("| `"))
                .toList();
        var expected = expectedRows();
        if (!rows.equals(expected)) {
            Files.write(Path.of("target", "configuration-table.md"), expected);
        }

        assertThat(rows)
                .as("the table of %s (the expected one is written to target/configuration-table.md)", DOC)
                .containsExactlyElementsOf(expected);
    }
}
