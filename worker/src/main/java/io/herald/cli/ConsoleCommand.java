package io.herald.cli;

import io.herald.config.HeraldConfig;
import io.herald.console.Console;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald console}: the operator console on a local port until SIGTERM or Ctrl-C. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Serves the operator console: commands, dead letters with a safe replay, campaigns, held identities.",
                "Needs HERALD_DATABASE_URL; KAFKA_BOOTSTRAP_SERVERS adds the consumer lag and replays.",
                "Read-only unless HERALD_CONSOLE_TOKEN is set; every change then asks for that token."})
final class ConsoleCommand implements Callable<Integer> {
    @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE}; 0: any free port)")
    int port = 8088;

    @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String host = "127.0.0.1";

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be 0 to 65535");
        }
        var config = HeraldConfig.fromEnvironment();
        var console = Console.start(config, port, host);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            stopped.countDown();
        }, "herald-console-shutdown"));
        System.out.println("herald console: " + console.url() + (config.operations().consoleToken().isEmpty()
                ? " (read-only: HERALD_CONSOLE_TOKEN is not set)" : " (changes need the operator token)"));
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            System.out.println("herald console: listening on " + host + ", beyond this machine; the console speaks plain HTTP, so put TLS in"
                    + " front of it before the operator token crosses a network");
        }
        if (config.kafka().bootstrapServers() == null) {
            System.out.println("herald console: KAFKA_BOOTSTRAP_SERVERS is not set; the consumer lag is unknown and replays are off");
        }
        stopped.await();
        return 0;
    }
}
