package io.herald.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.config.HeraldConfig;
import io.herald.config.UnavailableException;
import io.herald.schema.DeadLetterHeaders;
import io.herald.store.DeadLetterStore;
import io.herald.store.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dead-letter topic read back by {@code herald replay --from-topic}: every record written to it within a time range,
 * as it stands on the topic (its key, value and headers), whether or not the {@code dead_letters} table still has its
 * row. It reads with no consumer group: it commits nothing and moves no one's offsets.
 */
public final class DeadLetterTopic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REACH = Duration.ofSeconds(Topology.REACH_SECONDS);

    private DeadLetterTopic() {}

    /**
     * One record of the dead-letter topic. {@code commandId}, {@code type} and {@code campaignId} are read from the
     * value, and null where it holds none (a record that was no command); the rest from Herald's headers.
     */
    public record Letter(
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            Map<String, String> headers,
            String commandId,
            String type,
            String campaignId,
            RecordHeaders original) {
        public String errorClass() {
            return headers.getOrDefault(DeadLetterHeaders.ERROR_CLASS, "");
        }

        public String error() {
            return headers.getOrDefault(DeadLetterHeaders.ERROR, "");
        }

        /** When it was dead-lettered, by its header; null when the header is missing or no instant. */
        public Instant failedAt() {
            try {
                var at = headers.get(DeadLetterHeaders.FAILED_AT);
                return at == null ? null : Instant.parse(at);
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        /** Where the command was consumed from ({@code topic/partition/offset}), or null without those headers. */
        public String origin() {
            var topic = headers.get(DeadLetterHeaders.ORIGINAL_TOPIC);
            var partition = headers.get(DeadLetterHeaders.ORIGINAL_PARTITION);
            var offset = headers.get(DeadLetterHeaders.ORIGINAL_OFFSET);
            return topic == null || partition == null || offset == null
                    ? null
                    : DeadLetterStore.origin(topic, Integer.parseInt(partition), Long.parseLong(offset));
        }

        /** A record written there by Herald: it carries the dead-letter headers that a replay relies on. */
        public boolean heralds() {
            return headers.containsKey(DeadLetterHeaders.ERROR_CLASS) && origin() != null && failedAt() != null;
        }
    }

    /**
     * The records written to the dead-letter topic at or after {@code from} and before {@code to} (either null: no
     * bound), up to its end when called, in partition and offset order, {@code limit} at most. Kafka that cannot be
     * reached, or a topic that does not exist, ends it in one line ({@link UnavailableException}).
     */
    public static List<Letter> read(HeraldConfig.Kafka kafka, Instant from, Instant to, int limit) {
        var fixed = new HashMap<String, Object>();
        fixed.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        fixed.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var settings = KafkaClients.consumer(kafka, "herald-replay-dlt", Map.of(), fixed);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (var consumer = KafkaClients.create(
                kafka, () -> new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer()))) {
            return read(consumer, kafka.deadLetterTopic(), from, to, limit);
        } catch (KafkaException e) {
            throw KafkaClients.failure(kafka, e, REACH.toSeconds() + " s");
        }
    }

    private static List<Letter> read(
            KafkaConsumer<byte[], byte[]> consumer, String topic, Instant from, Instant to, int limit) {
        var infos = consumer.partitionsFor(topic, REACH);
        if (infos == null || infos.isEmpty()) {
            throw new UnavailableException("the dead-letter topic " + topic + " does not exist");
        }
        var partitions = infos.stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        consumer.assign(partitions);
        var ends = consumer.endOffsets(partitions, REACH);
        var starts = new HashMap<TopicPartition, Long>(consumer.beginningOffsets(partitions, REACH));
        if (from != null) {
            var wanted = new HashMap<TopicPartition, Long>();
            partitions.forEach(p -> wanted.put(p, from.toEpochMilli()));
            consumer.offsetsForTimes(wanted, REACH)
                    .forEach((partition, found) ->
                            starts.put(partition, found == null ? ends.get(partition) : found.offset()));
        }
        starts.forEach(consumer::seek);
        var letters = new ArrayList<Letter>();
        var open = new ArrayList<>(
                partitions.stream().filter(p -> starts.get(p) < ends.get(p)).toList());
        consumer.pause(partitions.stream().filter(p -> !open.contains(p)).toList());
        long quietSince = System.nanoTime();
        while (!open.isEmpty() && letters.size() < limit) {
            var records = consumer.poll(Duration.ofMillis(500));
            if (records.isEmpty()) {
                if (System.nanoTime() - quietSince > REACH.toNanos()) {
                    throw new UnavailableException("the dead-letter topic " + topic + " gave no record within "
                            + REACH.toSeconds() + " s while " + open + " had more to read");
                }
                continue;
            }
            quietSince = System.nanoTime();
            for (var record : records) {
                var partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= ends.get(partition) || letters.size() >= limit) {
                    continue;
                }
                if (to == null || record.timestamp() < to.toEpochMilli()) {
                    letters.add(letter(
                            record.partition(),
                            record.offset(),
                            record.key(),
                            record.value(),
                            headers(record),
                            original(record)));
                }
            }
            for (var partition : List.copyOf(open)) {
                if (consumer.position(partition) >= ends.get(partition)) {
                    open.remove(partition);
                    consumer.pause(List.of(partition));
                }
            }
        }
        letters.sort(java.util.Comparator.comparingInt(Letter::partition).thenComparingLong(Letter::offset));
        return letters;
    }

    private static Map<String, String> headers(
            org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record) {
        var headers = new LinkedHashMap<String, String>();
        for (var header : record.headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return headers;
    }

    /**
     * The headers the command's record had: the dead letter's but Herald's {@code herald-*} ones of provenance, which
     * a replay does not send again.
     */
    private static RecordHeaders original(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record) {
        var kept = new java.util.ArrayList<RecordHeaders.Header>();
        for (var header : record.headers()) {
            if (!PROVENANCE.contains(header.key())) {
                kept.add(new RecordHeaders.Header(header.key(), header.value()));
            }
        }
        return RecordHeaders.of(kept);
    }

    private static final java.util.Set<String> PROVENANCE = java.util.Set.of(
            DeadLetterHeaders.ERROR_CLASS,
            DeadLetterHeaders.ERROR,
            DeadLetterHeaders.ATTEMPTS,
            DeadLetterHeaders.HTTP_STATUS,
            DeadLetterHeaders.ORIGINAL_TOPIC,
            DeadLetterHeaders.ORIGINAL_PARTITION,
            DeadLetterHeaders.ORIGINAL_OFFSET,
            DeadLetterHeaders.FAILED_AT);

    /** A letter with what its value says of its command, when the value is a JSON object naming one. */
    static Letter letter(int partition, long offset, byte[] key, byte[] value, Map<String, String> headers) {
        return letter(partition, offset, key, value, headers, RecordHeaders.NONE);
    }

    static Letter letter(
            int partition, long offset, byte[] key, byte[] value, Map<String, String> headers, RecordHeaders original) {
        JsonNode node = null;
        try {
            node = value == null ? null : JSON.readTree(value);
        } catch (java.io.IOException e) {
            // not JSON: a record that was no command; replayed as the bytes it was, if asked
        }
        return new Letter(
                partition,
                offset,
                key,
                value,
                Map.copyOf(headers),
                text(node, "command_id"),
                text(node, "type"),
                text(node, "campaign_id"),
                original);
    }

    private static String text(JsonNode node, String field) {
        return node != null && node.isObject() && node.path(field).isTextual()
                ? node.path(field).asText()
                : null;
    }
}
