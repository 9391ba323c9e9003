package io.herald.dev;

import io.herald.cli.ExitCodes;
import io.herald.console.Console;
import io.herald.embedded.DevDirectories;
import io.herald.observe.UrlCredentials;
import io.herald.route.Replay;
import io.herald.store.DeadLetterStore;
import io.herald.store.jdbc.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald demo}: dev mode end to end. Starts the embedded broker, PostgreSQL and the OneAll sandbox, enqueues a
 * sample workload (publishes, pushes to several networks, a campaign, and failures on purpose), shows progress live,
 * replays the dead letters whose cause it then removes, and ends with a summary. The log of the worker goes to a file
 * of the run's directory; the terminal shows the demo's own lines only.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Dev mode end to end: embedded Kafka, PostgreSQL and OneAll sandbox, a sample workload with a campaign"
                    + " and failures on purpose, live progress, a replay of the dead letters that can be replayed, and a summary.",
            "The worker's log goes to worker.log in the run's directory, named at start.",
            "--keep leaves everything running after the summary and serves the operator console, until Ctrl-C."
        })
final class DemoCommand implements Callable<Integer> {
    private static final String CAMPAIGN_ID = "demo-campaign";

    @Option(
            names = "--recipients",
            description = "recipients of the demo campaign, 2 to 10,000 (default: ${DEFAULT-VALUE})")
    int recipients = 3_000;

    @Option(
            names = "--singles",
            description = "single publishes and pushes each, at least 10 (default: ${DEFAULT-VALUE})")
    int singles = 300;

    @Option(
            names = "--keep",
            description = "after the summary, keep the worker and the embedded servers running and serve the"
                    + " operator console, until Ctrl-C")
    boolean keep;

    @Option(
            names = "--console-port",
            description = "port of the operator console with --keep (default: ${DEFAULT-VALUE}: any free port)")
    int consolePort = 0;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (recipients < 2 || recipients > 10_000 || singles < 10 || consolePort < 0 || consolePort > 65_535) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--recipients must be 2 to 10,000, --singles at least 10 and --console-port" + " 0 to 65535");
        }
        var out = System.out;
        var directory = DevDirectories.newRunDirectory("herald-demo-");
        var log = directory.resolve("worker.log");
        DemoLog.to(log);
        out.println("herald demo: worker log: " + log);
        out.println("herald demo: starting the embedded Kafka broker, PostgreSQL and the OneAll sandbox (dev mode)...");
        long started = System.nanoTime();
        var dev = DevWorker.start(environment(), directory);
        try {
            run(out, dev, started);
            if (keep) {
                keep(out, dev, log);
            }
        } finally {
            dev.shutdown(Duration.ofSeconds(10));
        }
        return ExitCodes.OK;
    }

    private Map<String, String> environment() {
        var environment = new HashMap<String, String>();
        environment.put("HERALD_HTTP_PORT", "0");
        environment.put("HERALD_MAX_ATTEMPTS", "3");
        environment.put("HERALD_RETRY_BACKOFF_MS", "200");
        environment.put("HERALD_RETRY_MAX_BACKOFF_MS", "1000");
        environment.put("HERALD_CAMPAIGN_REFRESH_S", "5");
        if (keep) {
            environment.put("HERALD_CONSOLE_TOKEN", UUID.randomUUID().toString());
        }
        return environment;
    }

    private void run(PrintStream out, DevWorker dev, long started) throws Exception {
        var config = dev.config();
        var sandbox = dev.infrastructure().sandbox().orElseThrow();
        try (var dataSource = Database.pool(config.database(), "herald-demo")) {
            out.printf(
                    "herald demo: dev mode up in %.1f s: Kafka %s, %s, OneAll sandbox %s%n",
                    seconds(started),
                    config.kafka().bootstrapServers(),
                    UrlCredentials.masked(config.database().url()),
                    UrlCredentials.masked(config.oneall().apiUrl().toString()));
            var workload = new DemoWorkload(singles, recipients);
            sandbox.setFaults(workload.faults());
            long enqueued = System.nanoTime();
            workload.enqueue(config);
            out.println("herald demo: enqueued " + workload.describe());
            var report = new DemoReport(out, dataSource, workload.total());
            report.awaitQuiet(Duration.ofSeconds(90));

            out.println("herald demo: the broken accounts are repaired; replaying the dead letters of class exhausted");
            sandbox.setFaults(DemoWorkload.repaired());
            var store = new DeadLetterStore(dataSource);
            var letters = store.find(
                    new DeadLetterStore.Filter(null, null, List.of("exhausted"), null, null, null, false), 1_000);
            new Replay(store, config, false, 500, "herald-demo").replay(letters, step -> {});
            report.awaitQuiet(Duration.ofSeconds(30));
            report.summary(
                    dev.worker().metrics(), seconds(enqueued), sandbox.journal().received());
            report.campaign(CAMPAIGN_ID);
            out.printf("herald demo: done in %.1f s%n", seconds(started));
        }
    }

    /** Everything goes on running, with the operator console, until Ctrl-C. */
    private void keep(PrintStream out, DevWorker dev, Path log) throws InterruptedException {
        var console = Console.start(dev.config(), consolePort, "127.0.0.1");
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            console.close();
                            dev.shutdown(Duration.ofSeconds(10));
                            stopped.countDown();
                            Runtime.getRuntime().halt(ExitCodes.OK);
                        },
                        "herald-demo-shutdown"));
        DevBanner.print(dev);
        // The token is the demo's own, made up at start: it opens only this console, on this machine, until Ctrl-C.
        out.println("  operator console: " + console.url() + "   operator token: "
                + dev.config().operations().consoleToken().value());
        out.println("  worker log: " + log);
        out.flush();
        stopped.await();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
