package io.herald.bench;

import java.net.URI;
import java.util.Optional;

/**
 * The OneAll sandbox a benchmark runs against, in a process of its own so that its heap and CPU are not counted as
 * the worker's. herald-dev hands it over ({@code SandboxProcess}), so that the benchmark does not depend on the
 * command line that starts it.
 */
public interface BenchSandbox extends AutoCloseable {
    URI baseUri();

    String publicKey();

    String privateKey();

    /** Replaces the fault injection: a JSON object as {@code PUT /sandbox/faults} takes it. */
    void setFaults(String json);

    /** The sandbox's process while it runs, for its CPU time. */
    Optional<ProcessHandle> processHandle();

    @Override
    void close();
}
