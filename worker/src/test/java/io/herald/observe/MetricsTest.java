package io.herald.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void the_build_s_version_and_commit_are_a_gauge_of_1() {
        var build = BuildInfo.current();
        try (var metrics = new Metrics()) {
            assertThat(metrics.render())
                    .contains("# TYPE herald_build_info gauge")
                    .contains("herald_build_info{commit=\"" + build.commit() + "\",version=\"" + build.version()
                            + "\"} 1");
        }
    }
}
