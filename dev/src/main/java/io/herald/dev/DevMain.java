package io.herald.dev;

import io.herald.cli.Herald;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code herald-dev.jar}: every subcommand of {@code herald.jar}, and those of dev mode beside them: {@code dev} (a
 * worker on an embedded broker, PostgreSQL and the OneAll sandbox), {@code demo}, {@code bench} and {@code sandbox}.
 * Nothing here is in the production artifact.
 */
public final class DevMain {
    private DevMain() {}

    public static void main(String[] args) {
        // A developer's tool: text logs unless JSON is asked for, on a terminal or not.
        Herald.chooseLogFormat(
                Map.of("HERALD_LOG_FORMAT", System.getenv().getOrDefault("HERALD_LOG_FORMAT", "text")), true);
        Herald.chooseLogStream(args);
        Herald.quietKafkaClients(args);
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return Herald.commandLine(
                "herald-dev", new DevCommand(), new DemoCommand(), new BenchCommand(), new SandboxCommand());
    }
}
