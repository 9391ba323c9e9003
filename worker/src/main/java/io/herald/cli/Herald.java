package io.herald.cli;

import io.herald.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code herald}: the command line of contract §6. */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = Herald.Version.class,
        description = "Asynchronous worker that publishes to social networks through the OneAll API.",
        subcommands = {RunCommand.class, EnqueueCommand.class, StatusCommand.class, CampaignCommand.class, ReplayCommand.class, MigrateCommand.class, SandboxCommand.class, BenchCommand.class})
public final class Herald {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a subcommand; exit status 0 on success, non-zero with a one-line reason on stderr otherwise. */
    public static int execute(String... args) {
        var commandLine = new CommandLine(new Herald());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println("herald: " + reason(exception));
            return exception instanceof ConfigException ? 2 : 1;
        });
        return commandLine.execute(args);
    }

    private static String reason(Throwable exception) {
        var message = exception.getMessage();
        return message == null ? exception.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var version = Herald.class.getPackage().getImplementationVersion();
            return new String[] {"herald " + (version == null ? "(development build)" : version)};
        }
    }
}
