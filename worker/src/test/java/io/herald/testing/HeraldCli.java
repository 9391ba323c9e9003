package io.herald.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar herald.jar ARGS} as a user runs it, with exactly the environment given (nothing inherited). */
public final class HeraldCli {
    private static final Path JAR = Path.of("target", "herald.jar");

    /** How the process ended: its status, how long it ran, its non-blank stderr lines and its stdout. */
    public record Exit(int status, double seconds, List<String> err, String out) {}

    private HeraldCli() {}

    /** Runs the command and waits for it, at most {@code timeoutSeconds}; a process still running then is killed and fails the test. */
    public static Exit run(Map<String, String> environment, int timeoutSeconds, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the integration tests through `./mvnw verify`");
        }
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("herald-cli-", ".out");
            err = Files.createTempFile("herald-cli-", ".err");
            var command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    JAR.toString()));
            command.addAll(List.of(args));
            var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            long started = System.nanoTime();
            process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("herald " + String.join(" ", args) + " still ran after " + timeoutSeconds + " s");
            }
            return new Exit(process.exitValue(), (System.nanoTime() - started) / 1e9,
                    Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList(),
                    Files.readString(out, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            delete(out);
            delete(err);
        }
    }

    private static void delete(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
