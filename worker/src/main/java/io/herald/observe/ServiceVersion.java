package io.herald.observe;

import ch.qos.logback.core.PropertyDefinerBase;

/**
 * The build's version for the log configuration: logback-json.xml defines {@code herald.version} with it and writes it
 * as every JSON line's {@code service.version}. It reads {@link BuildInfo}, which logs nothing, so the log
 * configuration does not wait on a logger.
 */
public final class ServiceVersion extends PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
        return BuildInfo.current().version();
    }
}
