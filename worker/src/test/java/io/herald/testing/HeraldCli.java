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

    /** What a run printed and how it exited. */
    public record Run(int exitCode, String out, String err) {}

    /** Runs {@code herald args} with exactly {@code environment} (nothing of the test JVM's own), within a minute. */
    public static Run run(Map<String, String> environment, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the integration tests through `./mvnw verify`");
        }
        try {
            var out = Files.createTempFile("herald-cli", ".out");
            var err = Files.createTempFile("herald-cli", ".err");
            var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
            command.addAll(List.of(args));
            var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            var process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("herald " + String.join(" ", args) + " did not end within 60 s");
            }
            var run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            System.out.printf("[herald-test] herald %s: exit %d%n%s", String.join(" ", args), run.exitCode(), run.out());
            return run;
        } catch (IOException e) {
            throw new IllegalStateException("could not run herald " + String.join(" ", args), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
