package io.herald.observe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of this build and the Git commit it was made from, as the build wrote them beside this class
 * ({@code build.properties}, filled in by worker/pom.xml): {@code --version}, the worker's start-up line, the
 * {@code herald_build_info} metric and the User-Agent of the calls to OneAll name them. Built from sources without Git
 * metadata, the commit is {@code unknown}; run from classes no Maven build made (an IDE's), the version is
 * {@code (development build)}.
 */
public record BuildInfo(String version, String commit) {
    static final String UNKNOWN_VERSION = "(development build)";
    static final String UNKNOWN_COMMIT = "unknown";
    private static final BuildInfo CURRENT = read(BuildInfo.class.getResourceAsStream("build.properties"));

    /** This build's. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /**
     * The version and commit in these properties; what is missing, blank or unreadable is unknown (a worker does not
     * stop for want of its version).
     */
    static BuildInfo read(InputStream properties) {
        var values = new Properties();
        if (properties != null) {
            try (properties) {
                values.load(properties);
            } catch (IOException e) {
                values.clear();
            }
        }
        return new BuildInfo(
                valueOr(values.getProperty("version"), UNKNOWN_VERSION),
                valueOr(values.getProperty("commit"), UNKNOWN_COMMIT));
    }

    private static String valueOr(String value, String unknown) {
        return value == null || value.isBlank() ? unknown : value.trim();
    }

    /** {@code 0.1.0-SNAPSHOT (commit 7da5dbc)}; {@code (development build)} alone when the build wrote nothing. */
    public String describe() {
        return version.equals(UNKNOWN_VERSION) ? version : version + " (commit " + commit + ")";
    }

    /** As {@link #describe()} says it, for log lines. */
    @Override
    public String toString() {
        return describe();
    }
}
