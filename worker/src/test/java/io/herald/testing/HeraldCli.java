package io.herald.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code herald} as its users run it: {@code java -jar target/herald.jar ARGS} with an environment, its output and exit status. */
public final class HeraldCli {
    private static final Path JAR = Path.of("target", "herald.jar");

    private HeraldCli() {}

    /** What a run printed, how it exited and how long it ran. */
    public record Run(int exitCode, String out, String err, double seconds) {
        /** The non-blank lines of stderr. */
        public List<String> errLines() {
            return err.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    /** Runs {@code herald args} with exactly {@code environment} (nothing of the test JVM's own), within a minute. */
    public static Run run(Map<String, String> environment, String... args) {
        return run(environment, 60, args);
    }

    /** The same within {@code timeoutSeconds}; a process still running then is killed and fails the test. */
    public static Run run(Map<String, String> environment, int timeoutSeconds, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR.toAbsolutePath() + " is missing: run the integration tests through `./mvnw verify`");
        }
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("herald-cli-", ".out");
            err = Files.createTempFile("herald-cli-", ".err");
            var command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    JAR.toString()));
            command.addAll(List.of(args));
            var builder =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            long started = System.nanoTime();
            process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError(
                        "herald " + String.join(" ", args) + " still ran after " + timeoutSeconds + " s");
            }
            var run = new Run(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    (System.nanoTime() - started) / 1e9);
            System.out.printf(
                    "[herald-test] herald %s: exit %d%n%s", String.join(" ", args), run.exitCode(), run.out());
            return run;
        } catch (IOException e) {
            throw new IllegalStateException("could not run herald " + String.join(" ", args), e);
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
        } catch (IOException e) {
            // a temporary file left behind is only space
        }
    }
}
