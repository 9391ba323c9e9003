package io.herald.dev;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** The demo's log: every logger of this process writes to one file, so that the terminal shows the demo's own lines only. */
final class DemoLog {
    private DemoLog() {}

    /** From now on, the process logs to {@code file} (logback-demo.xml), whatever logging was set up before. */
    static void to(Path file) {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        context.putProperty("herald.demo.log", file.toString());
        try {
            configurator.doConfigure(DemoLog.class.getResource("/logback-demo.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("logback-demo.xml cannot be read", e);
        }
    }
}
