package io.herald.testing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The log lines written while an action runs, as HERALD_LOG_FORMAT=json writes them: logback-json.xml, on stderr. */
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
        context.reset();
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(JsonLogs.class.getResource("/logback-json.xml"));
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
}
