package io.herald.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.config.HeraldConfig;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.junit.jupiter.api.Test;

/** The rule a worker checks at start: the ledger keeps an ended command longer than its record can stay on the topic. */
class RetentionCheckTest {

    private static Config topic(String retentionMs, String segmentMs) {
        return new Config(
                List.of(new ConfigEntry("retention.ms", retentionMs), new ConfigEntry("segment.ms", segmentMs)));
    }

    private static HeraldConfig.Retention ledgerKeeping(long hours) {
        return new HeraldConfig.Retention(
                Duration.ofHours(hours), Duration.ofHours(2160), Duration.ofHours(2160), Duration.ofSeconds(300));
    }

    @Test
    void a_record_stays_on_the_topic_for_its_retention_plus_a_segment() {
        assertThat(Topology.lifetime(topic("604800000", "604800000"))).isEqualTo(Duration.ofDays(14));
        assertThat(Topology.lifetime(topic("86400000", "3600000"))).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void a_topic_that_keeps_records_for_ever_has_no_lifetime() {
        assertThat(Topology.lifetime(topic("-1", "604800000"))).isNull();
    }

    @Test
    void a_compacted_topic_keeps_records_for_ever_unless_it_also_deletes() {
        var compacted = new Config(List.of(
                new ConfigEntry("retention.ms", "604800000"),
                new ConfigEntry("segment.ms", "604800000"),
                new ConfigEntry("cleanup.policy", "compact")));
        var both = new Config(List.of(
                new ConfigEntry("retention.ms", "604800000"),
                new ConfigEntry("segment.ms", "604800000"),
                new ConfigEntry("cleanup.policy", "compact,delete")));
        assertThat(Topology.lifetime(compacted)).isNull();
        assertThat(Topology.lifetime(both)).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void the_default_thirty_days_outlive_a_week_of_retention_and_a_week_of_segment() {
        assertThat(ledgerKeeping(720).outlives(Duration.ofDays(14))).isTrue();
    }

    @Test
    void a_ledger_that_forgets_before_the_topic_does_or_at_the_same_time_does_not_outlive_it() {
        assertThat(ledgerKeeping(336).outlives(Duration.ofDays(14))).isFalse();
        assertThat(ledgerKeeping(100).outlives(Duration.ofDays(14))).isFalse();
        assertThat(ledgerKeeping(720).outlives(null))
                .as("a topic keeping records for ever")
                .isFalse();
    }

    @Test
    void a_ledger_that_keeps_ended_commands_for_ever_outlives_any_topic() {
        assertThat(ledgerKeeping(0).outlives(null)).isTrue();
        assertThat(ledgerKeeping(0).outlives(Duration.ofDays(365))).isTrue();
    }
}
