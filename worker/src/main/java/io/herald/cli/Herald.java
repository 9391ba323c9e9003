package io.herald.cli;

import io.herald.config.ConfigException;
import io.herald.config.UnavailableException;
import io.herald.observe.BuildInfo;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code herald}: the command line (docs/cli.md). */
@Command(
        name = "herald",
        mixinStandardHelpOptions = true,
        description = "Asynchronous worker that publishes to social networks through the OneAll API.",
        subcommands = {
            RunCommand.class,
            EnqueueCommand.class,
            StatusCommand.class,
            CampaignCommand.class,
            ReplayCommand.class,
            MessagesCommand.class,
            CancelCommand.class,
            IdentitiesCommand.class,
            MigrateCommand.class,
            ConsoleCommand.class,
            CommandLine.HelpCommand.class,
            CompletionCommand.class
        })
public final class Herald {

    public static void main(String[] args) {
        chooseLogFormat(System.getenv(), System.console() != null);
        chooseLogStream(args);
        quietKafkaClients(args);
        System.exit(execute(args));
    }

    /**
     * The Kafka clients' own log lines (a WARN a second while a broker is out of reach, an ERROR for refused
     * credentials) are for a worker's or the console's log; a subcommand that ends says what went wrong itself, in
     * one line, so they are off for it. Set before the first logger exists.
     */
    public static void quietKafkaClients(String... args) {
        var subcommand = args.length == 0 ? "" : args[0];
        if (!java.util.Set.of("run", "console", "dev", "demo", "bench").contains(subcommand)) {
            System.setProperty("herald.kafka.log.level", "OFF");
        }
    }

    /**
     * HERALD_LOG_FORMAT: {@code json} (one object per line), {@code text}, or {@code auto} (the default): text when
     * the process runs on a terminal, JSON otherwise (a container, a service, a pipe). Chosen before the first logger
     * exists.
     */
    public static void chooseLogFormat(Map<String, String> env, boolean terminal) {
        var format = env.getOrDefault("HERALD_LOG_FORMAT", "auto").trim();
        if (format.equals("json") || (format.equals("auto") && !terminal)) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
    }

    /** Where the log goes, as {@link #logTarget} says; set before the first logger exists. */
    public static void chooseLogStream(String... args) {
        System.setProperty("herald.log.target", logTarget(args));
    }

    /**
     * {@code System.out} for {@code herald run}, whose stdout carries nothing else and is where a container's log is
     * looked for (some collectors take every stderr line for an error); {@code System.err} for every other subcommand,
     * whose stdout is its answer for a script ({@code --json} among them) and must hold nothing else.
     */
    static String logTarget(String... args) {
        return args.length > 0 && args[0].equals("run") ? "System.out" : "System.err";
    }

    /** Runs a subcommand; exit status 0 on success, non-zero with a one-line reason on stderr otherwise. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with every production subcommand. */
    public static CommandLine commandLine() {
        return commandLine("herald");
    }

    /**
     * The command line named {@code name} with every production subcommand and {@code more} beside them (herald-dev.jar
     * adds its own): {@code --version} on each, exit statuses as {@link ExitCodes} says.
     */
    public static CommandLine commandLine(String name, Object... more) {
        var commandLine = new CommandLine(new Herald());
        commandLine.setCommandName(name);
        for (var subcommand : more) {
            commandLine.addSubcommand(subcommand);
        }
        CommandLine.IVersionProvider version = () -> new String[] {commandLine.getCommandName() + " " + version()};
        commandLine.getCommandSpec().versionProvider(version);
        commandLine
                .getSubcommands()
                .values()
                .forEach(subcommand -> subcommand.getCommandSpec().versionProvider(version));
        var usage = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((exception, args) -> {
            usage.handleParseException(exception, args);
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println(line.getCommandSpec().root().name() + ": " + reason(exception));
            return exception instanceof ConfigException
                    ? ExitCodes.CONFIGURATION
                    : exception instanceof UnavailableException ? ExitCodes.UNAVAILABLE : ExitCodes.RUNTIME;
        });
        return commandLine;
    }

    /** The build's version and commit, e.g. {@code 0.1.0-SNAPSHOT (commit 7da5dbc)}. */
    static String version() {
        return BuildInfo.current().describe();
    }

    private static String reason(Throwable exception) {
        if (exception instanceof NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        var message = exception.getMessage();
        return message == null
                ? exception.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }
}
