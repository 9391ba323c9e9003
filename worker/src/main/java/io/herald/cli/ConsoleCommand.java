package io.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.config.HeraldConfig;
import io.herald.console.Console;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code herald console}: the operator console on a local port until SIGTERM or Ctrl-C. */
@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the operator console: commands, dead letters with a safe replay, campaigns, held identities.",
            "Needs HERALD_DATABASE_URL; KAFKA_BOOTSTRAP_SERVERS adds the consumer lag and replays.",
            "Read-only unless HERALD_CONSOLE_TOKEN is set; every change then asks for that token."
        })
final class ConsoleCommand implements Callable<Integer> {
    @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE}; 0: any free port)")
    int port = 8088;

    @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String host = "127.0.0.1";

    @Option(names = "--json", description = "print the console's address and mode as one JSON object once it listens")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, got " + port);
        }
        var config = HeraldConfig.fromEnvironment();
        var console = Console.start(config, port, host);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            console.close();
                            stopped.countDown();
                            // Stopped as asked: exit 0, as herald run does, rather than the JVM's 143 for SIGTERM.
                            Runtime.getRuntime().halt(ExitCodes.OK);
                        },
                        "herald-console-shutdown"));
        boolean readOnly = config.operations().consoleToken().isEmpty();
        boolean beyond = !InetAddress.getByName(host).isLoopbackAddress();
        boolean kafka = config.kafka().bootstrapServers() != null;
        if (json) {
            System.out.println(new ObjectMapper()
                    .createObjectNode()
                    .put("url", console.url())
                    .put("read_only", readOnly)
                    .put("beyond_this_machine", beyond)
                    .put("kafka", kafka));
        } else {
            print(console.url(), readOnly, beyond, kafka);
        }
        stopped.await();
        return ExitCodes.OK;
    }

    private void print(String url, boolean readOnly, boolean beyond, boolean kafka) {
        System.out.println("herald console: " + url
                + (readOnly ? " (read-only: HERALD_CONSOLE_TOKEN is not set)" : " (changes need the operator token)"));
        if (beyond) {
            System.out.println("herald console: listening on " + host
                    + ", beyond this machine; the console speaks plain HTTP, so put TLS in"
                    + " front of it before the operator token crosses a network");
        }
        if (!kafka) {
            System.out.println(
                    "herald console: KAFKA_BOOTSTRAP_SERVERS is not set; the consumer lag is unknown and replays are off");
        }
    }
}
