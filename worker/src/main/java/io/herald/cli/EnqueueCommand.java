package io.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.config.HeraldConfig;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
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

    @Option(names = "--bootstrap-servers", description = "Kafka brokers (default: KAFKA_BOOTSTRAP_SERVERS)")
    String bootstrapServers;

    @Option(names = "--quiet", description = "no progress display, only the summary")
    boolean quiet;

    @Option(
            names = "--json",
            description = "print the summary as one JSON object, and each rejected line as a JSON line on stderr")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        var environment = new java.util.HashMap<>(System.getenv());
        if (bootstrapServers != null) {
            environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        }
        var config = HeraldConfig.from(environment).require(io.herald.config.Setting.Need.KAFKA);
        // the file first: a missing one is said at once, not after the brokers were reached
        try (var in = file == null || file.toString().equals("-") ? System.in : Files.newInputStream(file)) {
            Topology.ensureTopics(config);
            try (var producer = HeraldProducer.connect(
                    config.kafka().bootstrapServers(), config.kafka().commandsTopic(), Map.of())) {
                var progress = !quiet && !json && System.console() != null ? System.err : null;
                var summary = new Enqueue(producer, progress, System.err, json).run(in);
                System.out.println(json ? summary.toJson() : summary);
                return summary.rejected() == 0 && summary.failed() == 0 ? ExitCodes.OK : ExitCodes.RUNTIME;
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

        record Summary(long lines, long sent, long rejected, long failed, double seconds, String firstFailure) {
            @Override
            public String toString() {
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
                        .put("sent", sent)
                        .put("rejected", rejected)
                        .put("failed", failed)
                        .put("seconds", Math.round(seconds * 10) / 10.0)
                        .put("commands_per_second", seconds > 0 ? Math.round(sent / seconds) : 0)
                        .put("first_failure", firstFailure);
                return node.toString();
            }
        }

        Summary run(InputStream input) throws IOException {
            long started = System.nanoTime();
            long lastProgress = started;
            long lines = 0;
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
                var command = ((Validation.Valid) validation).command();
                producer.send(command, line.bytes()).whenComplete((metadata, exception) -> {
                    if (exception == null) {
                        sent.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, exception.getMessage());
                    }
                });
                long now = System.nanoTime();
                if (progress != null && now - lastProgress > 500_000_000L) {
                    lastProgress = now;
                    progress.printf(Locale.ROOT, "\r%d lines read, %d sent, %d rejected", lines, sent.get(), rejected);
                }
            }
            producer.flush();
            if (progress != null) {
                progress.print("\r");
            }
            return new Summary(
                    lines, sent.get(), rejected, failed.get(), (System.nanoTime() - started) / 1e9, firstFailure.get());
        }

        private void reject(long line, String error) {
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
