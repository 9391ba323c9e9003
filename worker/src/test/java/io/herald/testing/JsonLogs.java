package io.herald.testing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log lines written while an action runs, as HERALD_LOG_FORMAT=json writes them: logback-json.xml, on stderr as for
 * every subcommand but {@code run}. Each line is a JSON object in ECS's field names: {@code message}, {@code log.level},
 * {@code log.logger}, {@code herald.command_id}, {@code error.message}, ... (read with {@code path("log.level")}: a
 * field's name has dots in it, it is not nested).
 */
public final class JsonLogs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLogs() {}

    /** Something to run that may throw. */
    public interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} with the JSON log configuration and returns each line it logged, parsed; then logs as before. */
    public static List<JsonNode> during(Action action) throws Exception {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var err = System.err;
        var captured = new ByteArrayOutputStream();
        configure(context);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(err);
            context.reset();
            new ContextInitializer(context).autoConfig();
        }
        var lines = new ArrayList<JsonNode>();
        for (var line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /**
     * Configures {@code context} with logback-json.xml as a process of a subcommand would (on stderr), and fails if
     * Logback found anything to warn of: a process would print its whole status on the log's stream at start.
     */
    private static void configure(LoggerContext context) throws Exception {
        context.reset();
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        long configured = System.currentTimeMillis();
        var target = System.setProperty("herald.log.target", "System.err");
        try {
            configurator.doConfigure(JsonLogs.class.getResource("/logback-json.xml"));
        } finally {
            restore("herald.log.target", target);
        }
        if (new StatusUtil(context).getHighestLevel(configured) >= Status.WARN) {
            throw new IllegalStateException("logback-json.xml has warnings or errors: "
                    + context.getStatusManager().getCopyOfStatusList());
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
