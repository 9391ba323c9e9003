package io.herald.testing;

import io.herald.WorkerApp;
import io.herald.config.HeraldConfig;
import io.herald.route.Topology;
import io.herald.sandbox.OneAllSandbox;
import io.herald.schema.HeraldProducer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One test's Herald: its own topics, consumer group and database on the shared broker and server,
 * its own OneAll sandbox, and as many workers as the test starts.
 */
public final class WorkerHarness implements AutoCloseable {
    private final TestInfrastructure infrastructure = TestInfrastructure.get();
    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    private final String databaseUrl = infrastructure.newDatabaseUrl();
    private final DataSource dataSource = infrastructure.dataSource(databaseUrl);
    private final OneAllSandbox sandbox;
    private final List<WorkerApp> workers = new ArrayList<>();
    private final List<WorkerProcess> processes = new ArrayList<>();
    private final Map<String, String> settings = new HashMap<>();
    private HeraldProducer producer;

    public WorkerHarness() {
        this(OneAllSandbox.builder().eventLoops(1).start());
    }

    public WorkerHarness(OneAllSandbox sandbox) {
        this.sandbox = sandbox;
        settings.put("KAFKA_BOOTSTRAP_SERVERS", infrastructure.bootstrapServers());
        settings.put("HERALD_DATABASE_URL", databaseUrl);
        settings.put("HERALD_DATABASE_USER", infrastructure.user());
        settings.put("HERALD_DATABASE_PASSWORD", infrastructure.password().value());
        settings.put("ONEALL_API_URL", sandbox.baseUri().toString());
        settings.put("ONEALL_PUBLIC_KEY", sandbox.publicKey());
        settings.put("ONEALL_PRIVATE_KEY", sandbox.privateKey());
        settings.put("HERALD_TOPIC_COMMANDS", prefix + ".commands");
        settings.put("HERALD_TOPIC_DLT", prefix + ".commands.dlt");
        settings.put("HERALD_TOPIC_OUTCOMES", prefix + ".outcomes");
        settings.put("HERALD_TOPIC_PARTITIONS", "6");
        settings.put("HERALD_CONSUMER_GROUP", prefix + "-workers");
        settings.put("HERALD_HTTP_PORT", "0");
        settings.put("HERALD_RETRY_BACKOFF_MS", "100");
        settings.put("HERALD_RETRY_MAX_BACKOFF_MS", "1000");
        settings.put("HERALD_ONEALL_TIMEOUT_MS", "15000");
    }

    /** Overrides a setting for the workers started after this call. */
    public WorkerHarness with(String variable, String value) {
        settings.put(variable, value);
        return this;
    }

    public HeraldConfig config() {
        return HeraldConfig.from(settings);
    }

    public Map<String, String> environment() {
        return Map.copyOf(settings);
    }

    public WorkerApp startWorker() {
        var worker = WorkerApp.start(config());
        workers.add(worker);
        return worker;
    }

    /** An in-process worker whose spans {@code tracing} makes (a test's SDK with an in-memory exporter). */
    public WorkerApp startWorker(io.herald.observe.Tracing tracing) {
        var worker = WorkerApp.start(config(), tracing);
        workers.add(worker);
        return worker;
    }

    /** A worker in a JVM of its own, which the test may kill; its log is {@code target/worker-logs/<prefix>-NAME.log}. */
    public WorkerProcess startWorkerProcess(String name) {
        Topology.ensureTopics(config());
        var process = WorkerProcess.start(prefix + "-" + name, settings);
        processes.add(process);
        return process;
    }

    public List<WorkerApp> workers() {
        return workers;
    }

    public OneAllSandbox sandbox() {
        return sandbox;
    }

    public DataSource database() {
        return dataSource;
    }

    public String databaseUrl() {
        return databaseUrl;
    }

    /** Sends commands through the producer library, as an application would. */
    public void send(String... commands) {
        if (producer == null) {
            Topology.ensureTopics(config());
            producer = HeraldProducer.connect(
                    infrastructure.bootstrapServers(), config().kafka().commandsTopic(), Map.of());
        }
        for (var command : commands) {
            producer.send(command).join();
        }
    }

    /** Sends many commands through the producer library at once (it refuses them all if one is invalid). */
    public void sendAll(List<String> commands) {
        send();
        producer.sendAll(commands).join();
    }

    /** Sends raw values with keys, as a careless or hostile producer might, and waits until Kafka has them all. */
    public void sendRawAll(List<byte[][]> keyValues) {
        Topology.ensureTopics(config());
        try (var raw = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                HeraldProducer.producerConfig(
                        infrastructure.bootstrapServers(), Map.of("max.request.size", 2 * 1024 * 1024)),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var sends = keyValues.stream()
                    .map(kv -> raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            config().kafka().commandsTopic(), kv[0], kv[1])))
                    .toList();
            for (var send : sends) {
                send.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a raw record with headers (UTF-8 values), and waits until Kafka has it. */
    public void sendRaw(byte[] key, byte[] value, Map<String, String> headers) {
        Topology.ensureTopics(config());
        try (var raw = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                HeraldProducer.producerConfig(infrastructure.bootstrapServers(), Map.of()),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var record = new org.apache.kafka.clients.producer.ProducerRecord<>(
                    config().kafka().commandsTopic(), key, value);
            headers.forEach(
                    (name, text) -> record.headers().add(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            raw.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends raw bytes with a key, as a careless or hostile producer might. */
    public void sendRaw(byte[] key, byte[] value) {
        sendRawAll(List.<byte[][]>of(new byte[][] {key, value}));
    }

    /** The status of a command in the ledger, or null. */
    public String status(String commandId) {
        return Sql.string(dataSource, "SELECT status FROM commands WHERE command_id = ?", commandId);
    }

    /** The first column of the first row of a query, as text, or null. */
    public String string(String sql, Object... args) {
        return Sql.string(dataSource, sql, args);
    }

    /** The first column of every row of a query, as text. */
    public List<String> strings(String sql, Object... args) {
        var values = new ArrayList<String>();
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    public long count(String sql, Object... args) {
        return Sql.number(dataSource, sql, args);
    }

    /** Reads every record of a topic from the start until {@code expected} are in or the timeout passes. */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration timeout) {
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        infrastructure.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Every record of a topic, from the start of each partition to its end as it is now (duplicates included). */
    public List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        infrastructure.bootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new org.apache.kafka.common.TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The committed offsets of the workers' group on the commands topic, summed over partitions. */
    public long committedOffsets() {
        try (var admin = Admin.create(Map.of("bootstrap.servers", infrastructure.bootstrapServers()))) {
            return admin
                    .listConsumerGroupOffsets(config().kafka().consumerGroup())
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .entrySet()
                    .stream()
                    .filter(e -> e.getKey().topic().equals(config().kafka().commandsTopic()))
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How far the workers' group's committed offsets are behind the end of the commands topic, summed over its
     * partitions (a partition without a committed offset counts whole): 0 once every record consumed is committed.
     */
    public long lag() {
        var topic = config().kafka().commandsTopic();
        try (var admin = Admin.create(Map.of("bootstrap.servers", infrastructure.bootstrapServers()))) {
            var committed = admin.listConsumerGroupOffsets(config().kafka().consumerGroup())
                    .partitionsToOffsetAndMetadata()
                    .get();
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(info -> new org.apache.kafka.common.TopicPartition(topic, info.partition()))
                    .toList();
            var ends = admin.listOffsets(partitions.stream()
                            .collect(java.util.stream.Collectors.toMap(
                                    p -> p, p -> org.apache.kafka.clients.admin.OffsetSpec.latest())))
                    .all()
                    .get();
            long lag = 0;
            for (var partition : partitions) {
                var offset = committed.get(partition);
                lag += ends.get(partition).offset() - (offset == null ? 0 : offset.offset());
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        processes.forEach(WorkerProcess::close);
        for (var worker : workers) {
            worker.shutdown(Duration.ofSeconds(10));
        }
        if (producer != null) {
            producer.close();
        }
        sandbox.close();
    }

    /** Tiny JDBC helpers for assertions. */
    static final class Sql {
        static String string(DataSource dataSource, String sql, Object... args) {
            try (var connection = dataSource.getConnection();
                    var statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    statement.setObject(i + 1, args[i]);
                }
                try (var rows = statement.executeQuery()) {
                    return rows.next() ? rows.getString(1) : null;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        static long number(DataSource dataSource, String sql, Object... args) {
            var value = string(dataSource, sql, args);
            return value == null ? 0 : Long.parseLong(value);
        }
    }
}
