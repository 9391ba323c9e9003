package io.herald.cli;

import io.herald.WorkerApp;
import io.herald.config.HeraldConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald run}: a worker until SIGTERM, then drains in-flight calls and commits. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a worker until SIGTERM, then drains in-flight calls and commits.",
            "Needs KAFKA_BOOTSTRAP_SERVERS, HERALD_DATABASE_URL, ONEALL_API_URL, ONEALL_PUBLIC_KEY and ONEALL_PRIVATE_KEY;"
                    + " exits 2 naming each one that is missing."
        })
final class RunCommand implements Callable<Integer> {
    @Option(
            names = "--drain-seconds",
            description = "how long running commands may take to finish at shutdown"
                    + " (default: HERALD_ONEALL_TIMEOUT_MS and 10 s to settle a call, 40 s at the defaults)")
    Integer drainSeconds;

    @Override
    public Integer call() throws InterruptedException {
        var config = HeraldConfig.fromEnvironment();
        // A shorter drain leaves the calls still under way in flight, for the next owner to wait out and settle.
        var drain = drainSeconds != null
                ? Duration.ofSeconds(drainSeconds)
                : config.oneall().drainTimeout();
        var app = WorkerApp.start(config).onPollLoopDeath(() -> {
            // Without a poll loop the worker consumes nothing: end the process, so that it is restarted.
            System.err.println("herald: the poll loop died; exiting so that the worker is restarted");
            Runtime.getRuntime().halt(ExitCodes.RUNTIME);
        });
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            app.shutdown(drain);
                            stopped.countDown();
                            // A drained, committed stop is a success: exit 0 rather than the JVM's 143 for SIGTERM.
                            Runtime.getRuntime().halt(0);
                        },
                        "herald-shutdown"));
        stopped.await();
        return 0;
    }
}
