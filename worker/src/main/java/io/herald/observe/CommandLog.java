package io.herald.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Log lines about one command: its {@code command_id}, {@code routing_key}, {@code partition} and {@code campaign_id}
 * go into the MDC for that one line, so that the JSON log lines carry them as fields (logback-json.xml names them
 * {@code herald.command_id}, {@code herald.routing_key}, ...) and a log search can select a command's lines without
 * parsing messages. The entries are put on the thread that logs and
 * removed right after the line: the lines are written from Vert.x event loops and the ledger writer's thread, which
 * serve every command, so an entry left behind would label the next command's lines.
 */
public final class CommandLog {
    public static final String COMMAND_ID = "command_id";
    public static final String ROUTING_KEY = "routing_key";
    public static final String PARTITION = "partition";
    public static final String CAMPAIGN_ID = "campaign_id";
    /** OpenTelemetry's MDC keys: the trace and span a command's attempt is (logback-json.xml names them {@code trace.id}, {@code span.id}). */
    public static final String TRACE_ID = "trace_id";

    public static final String SPAN_ID = "span_id";

    /** Which command a line is about, and the trace its attempt is part of; a part that is not known is null and left out. */
    public record About(
            String commandId, String routingKey, Integer partition, String campaignId, String traceId, String spanId) {
        public About(String commandId, String routingKey, Integer partition, String campaignId) {
            this(commandId, routingKey, partition, campaignId, null, null);
        }

        /** The same command, its lines in this trace and span. */
        public About traced(String traceId, String spanId) {
            return new About(commandId, routingKey, partition, campaignId, traceId, spanId);
        }
    }

    private final Logger log;

    private CommandLog(Logger log) {
        this.log = log;
    }

    public static CommandLog of(Class<?> type) {
        return of(LoggerFactory.getLogger(type));
    }

    public static CommandLog of(Logger log) {
        return new CommandLog(log);
    }

    public void debug(About about, String format, Object... arguments) {
        if (log.isDebugEnabled()) {
            write(about, format, arguments, log::debug);
        }
    }

    public void info(About about, String format, Object... arguments) {
        if (log.isInfoEnabled()) {
            write(about, format, arguments, log::info);
        }
    }

    public void warn(About about, String format, Object... arguments) {
        if (log.isWarnEnabled()) {
            write(about, format, arguments, log::warn);
        }
    }

    public void error(About about, String format, Object... arguments) {
        if (log.isErrorEnabled()) {
            write(about, format, arguments, log::error);
        }
    }

    private interface Line {
        void write(String format, Object... arguments);
    }

    private static void write(About about, String format, Object[] arguments, Line line) {
        put(COMMAND_ID, about.commandId());
        put(ROUTING_KEY, about.routingKey());
        put(PARTITION, about.partition() == null ? null : about.partition().toString());
        put(CAMPAIGN_ID, about.campaignId());
        put(TRACE_ID, about.traceId());
        put(SPAN_ID, about.spanId());
        try {
            line.write(format, arguments);
        } finally {
            remove();
        }
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    private static void remove() {
        for (var key : new String[] {COMMAND_ID, ROUTING_KEY, PARTITION, CAMPAIGN_ID, TRACE_ID, SPAN_ID}) {
            MDC.remove(key);
        }
    }
}
