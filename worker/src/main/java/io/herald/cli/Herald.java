package io.herald.cli;

import io.herald.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code herald}: the command line (docs/cli.md). */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = Herald.Version.class,
        description = "Asynchronous worker that publishes to social networks through the OneAll API.",
        subcommands = {RunCommand.class, EnqueueCommand.class, StatusCommand.class, CampaignCommand.class, ReplayCommand.class, MessagesCommand.class,
                CancelCommand.class, IdentitiesCommand.class, MigrateCommand.class,
                ConsoleCommand.class})
public final class Herald {

    public static void main(String[] args) {
        chooseLogFormat(System.getenv());
        System.exit(execute(args));
    }

    /**
     * HERALD_LOG_FORMAT: {@code json} (one object per line), {@code text}, or {@code auto} (the default):
     * text in dev mode (Kafka, the database or OneAll not configured), JSON otherwise. Chosen before the
     * first logger exists.
     */
    public static void chooseLogFormat(java.util.Map<String, String> env) {
        var format = env.getOrDefault("HERALD_LOG_FORMAT", "auto").trim();
        boolean devMode = blank(env.get("KAFKA_BOOTSTRAP_SERVERS")) || blank(env.get("HERALD_DATABASE_URL"))
                || blank(env.get("ONEALL_API_URL"));
        if (format.equals("json") || (format.equals("auto") && !devMode)) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** Runs a subcommand; exit status 0 on success, non-zero with a one-line reason on stderr otherwise. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with every production subcommand; herald-dev.jar adds its own to it. */
    public static CommandLine commandLine() {
        var commandLine = new CommandLine(new Herald());
        var usage = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((exception, args) -> {
            usage.handleParseException(exception, args);
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println(line.getCommandSpec().root().name() + ": " + reason(exception));
            return exception instanceof ConfigException ? ExitCodes.CONFIGURATION : ExitCodes.RUNTIME;
        });
        return commandLine;
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
