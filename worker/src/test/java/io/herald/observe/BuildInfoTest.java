package io.herald.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @Test
    void the_build_writes_its_version_and_commit_beside_the_class() {
        var build = BuildInfo.current();

        assertThat(build.version())
                .as("the project's version, filled in by Maven")
                .matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(build.commit())
                .as("an abbreviated commit, or unknown without Git metadata")
                .matches("[0-9a-f]{7,}|unknown");
        assertThat(build.describe()).isEqualTo(build.version() + " (commit " + build.commit() + ")");
    }

    @Test
    void a_build_without_git_metadata_names_its_version_and_an_unknown_commit() {
        var build = BuildInfo.read(properties("version=0.2.0\ncommit=\n"));

        assertThat(build).isEqualTo(new BuildInfo("0.2.0", "unknown"));
        assertThat(build.describe()).isEqualTo("0.2.0 (commit unknown)");
    }

    @Test
    void classes_no_build_wrote_it_for_are_a_development_build() {
        var build = BuildInfo.read(null);

        assertThat(build).isEqualTo(new BuildInfo("(development build)", "unknown"));
        assertThat(build.describe()).isEqualTo("(development build)");
    }

    private static InputStream properties(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
