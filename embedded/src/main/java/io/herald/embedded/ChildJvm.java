package io.herald.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM on this JVM's class path, ended with its parent ({@link ChildMain}).
 * Where {@code setsid} exists the child gets a session of its own, so that a Ctrl-C meant for Herald
 * does not stop its broker and database while Herald still drains.
 */
public final class ChildJvm {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private ChildJvm() {}

    /** Stops a child with SIGTERM (a clean shutdown) and waits for it; kills it when it does not stop in time. */
    public static void stop(Process process, java.time.Duration patience) {
        process.destroy();
        try {
            if (!process.waitFor(patience.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static List<String> command(String maxHeap, String mainClass, String... args) {
        var command = new ArrayList<String>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+UseG1GC");
        command.add("-Dlogback.configurationFile=herald-child-logback.xml");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildMain.class.getName());
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Waits until the child answers HTTP 200 at {@code uri}; fails with {@code what} and the exit status if it
     * exits first, or when {@code timeout} passes.
     */
    public static void awaitHttpOk(Process process, java.net.URI uri, java.time.Duration timeout, String what) {
        var http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(1))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(what + " exited with " + process.exitValue());
                }
                try {
                    var response = http.send(
                            java.net.http.HttpRequest.newBuilder(uri)
                                    .GET()
                                    .timeout(java.time.Duration.ofSeconds(2))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException(what + " did not answer " + uri + " within " + timeout.toSeconds() + " s");
    }
}
