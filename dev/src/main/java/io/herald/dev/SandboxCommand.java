package io.herald.dev;

import io.herald.sandbox.OneAllSandbox;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald sandbox}: runs the OneAll sandbox alone until interrupted. */
@Command(
        name = "sandbox",
        mixinStandardHelpOptions = true,
        description = "Runs the OneAll sandbox alone, for developing producers and for tests.")
final class SandboxCommand implements Callable<Integer> {
    @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port = 8090;

    @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container)")
    String host = "127.0.0.1";

    @Option(names = "--event-loops", description = "Vert.x event loops serving requests (default: ${DEFAULT-VALUE})")
    int eventLoops = 2;

    @Override
    public Integer call() throws InterruptedException {
        var builder = OneAllSandbox.builder().host(host).port(port).eventLoops(eventLoops);
        var publicKey = System.getenv("ONEALL_PUBLIC_KEY");
        var privateKey = System.getenv("ONEALL_PRIVATE_KEY");
        if (publicKey != null && !publicKey.isBlank() && privateKey != null && !privateKey.isBlank()) {
            builder.keys(publicKey, privateKey);
        }
        var sandbox = builder.start();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sandbox.close();
                            stopped.countDown();
                            // Stopped as asked: exit 0 rather than the JVM's 143 for SIGTERM.
                            Runtime.getRuntime().halt(0);
                        },
                        "herald-sandbox-shutdown"));
        System.out.println("OneAll sandbox listening on " + sandbox.baseUri());
        System.out.println("  ONEALL_API_URL=" + sandbox.baseUri());
        System.out.println("  ONEALL_PUBLIC_KEY=" + sandbox.publicKey());
        // The sandbox's keys are not secrets: they open nothing but this local fake, and a producer needs them.
        System.out.println("  ONEALL_PRIVATE_KEY=" + sandbox.privateKey());
        System.out.println("Administration: /sandbox/journal, /sandbox/faults, /sandbox/identities. Ctrl-C stops.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
