package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {

    private static List<BoundedLines.Line> read(String text, int max) throws IOException {
        var lines = new ArrayList<BoundedLines.Line>();
        var reader = new BoundedLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
        for (var line = reader.next(); line != null; line = reader.next()) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void reads_lines_with_unix_and_windows_endings_and_a_last_line_without_one() throws IOException {
        var lines = read("a\r\nbb\n\nccc", 10);

        assertThat(lines)
                .extracting(l -> new String(l.bytes(), StandardCharsets.UTF_8))
                .containsExactly("a", "bb", "", "ccc");
        assertThat(lines).extracting(BoundedLines.Line::number).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void a_line_over_the_bound_is_skipped_whole_and_reported_with_its_length() throws IOException {
        var lines = read("ok\n" + "x".repeat(100_000) + "\nafter\n", 1_000);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).tooLong()).isTrue();
        assertThat(lines.get(1).length()).isEqualTo(100_000);
        assertThat(new String(lines.get(2).bytes(), StandardCharsets.UTF_8)).isEqualTo("after");
    }

    @Test
    void an_empty_stream_has_no_lines() throws IOException {
        assertThat(read("", 10)).isEmpty();
    }
}
