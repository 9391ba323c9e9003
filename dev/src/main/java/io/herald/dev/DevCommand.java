package io.herald.dev;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald-dev dev}: a worker in dev mode, on an embedded broker, PostgreSQL and the OneAll sandbox, until Ctrl-C. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a worker in dev mode until Ctrl-C: an embedded Kafka broker, an embedded PostgreSQL and the OneAll"
                    + " sandbox stand in for KAFKA_BOOTSTRAP_SERVERS, HERALD_DATABASE_URL and ONEALL_API_URL where they are unset.",
            "Data is temporary and nothing is really posted."
        })
final class DevCommand implements Callable<Integer> {
    @Option(
            names = "--drain-seconds",
            description = "how long running commands may take to finish at shutdown (default: ${DEFAULT-VALUE})")
    int drainSeconds = 10;

    @Override
    public Integer call() throws InterruptedException {
        var dev = DevWorker.start(System.getenv());
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            dev.shutdown(Duration.ofSeconds(drainSeconds));
                            stopped.countDown();
                            Runtime.getRuntime().halt(0);
                        },
                        "herald-dev-shutdown"));
        DevBanner.print(dev);
        stopped.await();
        return 0;
    }
}
