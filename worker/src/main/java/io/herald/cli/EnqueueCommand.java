package io.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.config.HeraldConfig;
import io.herald.config.Setting.Need;
import io.herald.observe.Tracing;
import io.herald.route.KafkaClients;
import io.herald.route.Topology;
import io.herald.schema.CommandReader;
import io.herald.schema.HeraldProducer;
import io.herald.schema.Limits;
import io.herald.schema.Validation;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald enqueue [FILE]}: validates JSON commands, one per line, and produces the valid ones. */
@Command(
        name = "enqueue",
        mixinStandardHelpOptions = true,
        description = {
            "Validates JSON commands, one per line (stdin when no FILE), and produces them to the commands topic.",
            "Invalid lines are reported with their line number and reason and are not sent; the exit status is 1 if any was."
        })
final class EnqueueCommand implements Callable<Integer> {
    @Parameters(
            arity = "0..1",
            paramLabel = "FILE",
            description = "a file of JSON commands, one per line; - or none reads stdin")
    Path file;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--quiet", description = "no progress display, only the summary")
    boolean quiet;

    @Option(
            names = "--json",
            description = "print the summary as one JSON object, and each rejected line as a JSON line on stderr")
    boolean json;

    @Option(names = "--dry-run", description = "validate every line and report, without a broker; send nothing")
    boolean dryRun;

    /**
     * Every line is validated before the brokers are contacted, so that the invalid ones are reported whether or not
     * Kafka can be reached; then the valid ones are sent, in a second pass over the file (stdin is kept in a temporary
     * file for it).
     */
    @Override
    public Integer call() throws IOException, InterruptedException {
        var config = HeraldConfig.from(kafka.environment());
        if (!dryRun) {
            config.require(Need.KAFKA);
        }
        var progress = !quiet && !json && System.console() != null ? System.err : null;
        try (var input = Input.of(file)) {
            var checked = new Enqueue(null, progress, System.err, json).run(input.open());
            if (dryRun || checked.valid() == 0) {
                System.out.println(json ? checked.toJson() : checked);
                return checked.rejected() == 0 ? ExitCodes.OK : ExitCodes.RUNTIME;
            }
            Topology.ensureTopics(config);
            try (var producer = HeraldProducer.connect(
                    config.kafka().bootstrapServers(),
                    config.kafka().commandsTopic(),
                    KafkaClients.producerProperties(config.kafka(), "herald-enqueue"))) {
                try (var tracing = Tracing.fromEnvironment()) {
                    var summary = new Enqueue(producer, progress, null, json)
                            .traced(new ProducerSpans(tracing, config.kafka().commandsTopic()))
                            .run(input.open());
                    System.out.println(json ? summary.toJson() : summary);
                    return summary.rejected() == 0 && summary.failed() == 0 ? ExitCodes.OK : ExitCodes.RUNTIME;
                }
            }
        }
    }

    /** The lines to enqueue, readable twice: the file named, or stdin kept in a temporary file. */
    private record Input(Path path, boolean temporary) implements AutoCloseable {
        static Input of(Path file) throws IOException {
            if (file != null && !file.toString().equals("-")) {
                // a file that is missing or cannot be read is said by the first pass's open, before any broker
                return new Input(file, false);
            }
            var copy = Files.createTempFile("herald-enqueue-", ".jsonl");
            Files.copy(System.in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new Input(copy, true);
        }

        InputStream open() throws IOException {
            return Files.newInputStream(path);
        }

        @Override
        public void close() throws IOException {
            if (temporary) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The work of one enqueue, apart from its options, so that tests can run it on any stream. */
    static final class Enqueue {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final HeraldProducer producer;
        private final PrintStream progress;
        private final PrintStream errors;
        private final boolean json;
        private final CommandReader reader = new CommandReader();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicReference<String> firstFailure = new AtomicReference<>();
        private ProducerSpans spans = ProducerSpans.off();

        Enqueue(HeraldProducer producer, PrintStream progress, PrintStream errors) {
            this(producer, progress, errors, false);
        }

        /** {@code json}: each rejected line is reported as a JSON object ({@code line}, {@code error}) instead of text. */
        Enqueue(HeraldProducer producer, PrintStream progress, PrintStream errors, boolean json) {
            this.producer = producer;
            this.progress = progress;
            this.errors = errors;
            this.json = json;
        }

        /** Each command sent in a span of its own, whose trace its record carries. */
        Enqueue traced(ProducerSpans spans) {
            this.spans = spans;
            return this;
        }

        /** {@code checkedOnly}: a pass that validated the lines and sent none. */
        record Summary(
                long lines,
                long valid,
                long sent,
                long rejected,
                long failed,
                double seconds,
                String firstFailure,
                boolean checkedOnly) {
            @Override
            public String toString() {
                if (checkedOnly) {
                    return String.format(
                            Locale.ROOT,
                            "%d valid, %d rejected of %d lines in %.1f s; nothing sent",
                            valid,
                            rejected,
                            lines,
                            seconds);
                }
                return String.format(
                        Locale.ROOT,
                        "sent %d, rejected %d, failed %d of %d lines in %.1f s (%.0f commands/s)%s",
                        sent,
                        rejected,
                        failed,
                        lines,
                        seconds,
                        seconds > 0 ? sent / seconds : 0.0,
                        firstFailure == null ? "" : "; first send failure: " + firstFailure);
            }

            String toJson() {
                var node = JSON.createObjectNode()
                        .put("lines", lines)
                        .put("valid", valid)
                        .put("sent", sent)
                        .put("rejected", rejected)
                        .put("failed", failed)
                        .put("seconds", Math.round(seconds * 10) / 10.0)
                        .put("commands_per_second", seconds > 0 ? Math.round(sent / seconds) : 0)
                        .put("first_failure", firstFailure);
                return node.toString();
            }
        }

        /** Reads every line: validates it, and sends it when there is a producer; reports the invalid ones to errors. */
        Summary run(InputStream input) throws IOException {
            long started = System.nanoTime();
            long lastProgress = started;
            long lines = 0;
            long valid = 0;
            long rejected = 0;
            var reader = new BoundedLines(new BufferedInputStream(input, 1 << 16), Limits.MAX_COMMAND_BYTES);
            for (var line = reader.next(); line != null; line = reader.next()) {
                if (!line.tooLong() && isBlank(line.bytes())) {
                    continue;
                }
                lines++;
                if (line.tooLong()) {
                    rejected++;
                    reject(
                            line.number(),
                            String.format(
                                    Locale.ROOT,
                                    "the command is %d bytes; at most %d are allowed",
                                    line.length(),
                                    Limits.MAX_COMMAND_BYTES));
                    continue;
                }
                var validation = this.reader.read(line.bytes());
                if (validation instanceof Validation.Invalid invalid) {
                    rejected++;
                    reject(line.number(), invalid.summary());
                    continue;
                }
                valid++;
                if (producer != null) {
                    send(((Validation.Valid) validation).command(), line.bytes());
                }
                long now = System.nanoTime();
                if (progress != null && now - lastProgress > 500_000_000L) {
                    lastProgress = now;
                    if (producer == null) {
                        progress.printf(Locale.ROOT, "\r%d lines checked, %d rejected", lines, rejected);
                    } else {
                        progress.printf(
                                Locale.ROOT, "\r%d lines read, %d sent, %d rejected", lines, sent.get(), rejected);
                    }
                }
            }
            if (producer != null) {
                producer.flush();
            }
            if (progress != null) {
                progress.print("\r");
            }
            return new Summary(
                    lines,
                    valid,
                    sent.get(),
                    rejected,
                    failed.get(),
                    (System.nanoTime() - started) / 1e9,
                    firstFailure.get(),
                    producer == null);
        }

        private void send(io.herald.schema.Command command, byte[] bytes) {
            spans.send(command, () -> producer.send(command, bytes)).whenComplete((metadata, exception) -> {
                if (exception == null) {
                    sent.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(
                            null,
                            exception.getMessage() == null
                                    ? exception.getClass().getSimpleName()
                                    : exception.getMessage());
                }
            });
        }

        private void reject(long line, String error) {
            if (errors == null) {
                return;
            }
            errors.println(
                    json
                            ? JSON.createObjectNode()
                                    .put("line", line)
                                    .put("error", error)
                                    .toString()
                            : "line " + line + ": " + error);
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }
}
