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
        Herald.chooseLogFormat(Map.of("HERALD_LOG_FORMAT", System.getenv().getOrDefault("HERALD_LOG_FORMAT", "text")));
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        var line = Herald.commandLine();
        line.setCommandName("herald-dev");
        line.addSubcommand(new DevCommand());
        line.addSubcommand(new DemoCommand());
        line.addSubcommand(new BenchCommand());
        line.addSubcommand(new SandboxCommand());
        return line;
    }
}
