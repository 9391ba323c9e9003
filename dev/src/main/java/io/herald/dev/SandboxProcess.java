package io.herald.dev;

import io.herald.bench.BenchSandbox;
import io.herald.embedded.ChildJvm;
import io.herald.embedded.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * The OneAll sandbox in a child JVM ({@code herald sandbox}), administered over HTTP: for the
 * benchmark, so that the sandbox's heap and CPU threads are not counted as the worker's, and for
 * tests that take OneAll down and bring it back.
 */
public final class SandboxProcess implements BenchSandbox {
    private final Process process;
    private final int port;
    private final String publicKey = UUID.randomUUID().toString();
    private final String privateKey = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newHttpClient();

    private SandboxProcess(Path logFile, int port) {
        this.port = port;
        var builder = new ProcessBuilder(
                        ChildJvm.command("1g", DevMain.class.getName(), "sandbox", "--port", Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("ONEALL_PUBLIC_KEY", publicKey);
        builder.environment().put("ONEALL_PRIVATE_KEY", privateKey);
        try {
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox process", e);
        }
        awaitReady();
    }

    public static SandboxProcess start(Path logFile) {
        return new SandboxProcess(logFile, FreePorts.find());
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public String publicKey() {
        return publicKey;
    }

    @Override
    public String privateKey() {
        return privateKey;
    }

    @Override
    public void setFaults(String json) {
        var response = send(HttpRequest.newBuilder(baseUri().resolve("/sandbox/faults"))
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException("the sandbox refused the faults: " + response.body());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        ChildJvm.awaitHttpOk(
                process, baseUri().resolve("/sandbox/faults"), Duration.ofSeconds(60), "the sandbox process");
    }

    @Override
    public void close() {
        ChildJvm.stop(process, Duration.ofSeconds(10));
    }

    /** The server's process while it runs (its own children, PostgreSQL's backends say, are its descendants). */
    @Override
    public java.util.Optional<ProcessHandle> processHandle() {
        return java.util.Optional.of(process.toHandle());
    }
}
