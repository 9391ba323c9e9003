package io.herald.cli;

/** The exit statuses of {@code herald} (docs/cli.md): a script can tell a usage error from a configuration or runtime error. */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** Failed at run time: a broker, the database or OneAll failed, or the poll loop died. Also: {@code enqueue} rejected a line. */
    public static final int RUNTIME = 1;
    /** A setting is missing or has a value Herald cannot use; the message names each variable. */
    public static final int CONFIGURATION = 2;
    /**
     * Kafka or PostgreSQL could not be reached, or refused Herald (credentials, TLS, a permission); the message names the
     * address and the cause (sysexits' EX_UNAVAILABLE).
     */
    public static final int UNAVAILABLE = 69;
    /** The command line itself is wrong: an unknown option, a missing parameter (sysexits' EX_USAGE). */
    public static final int USAGE = 64;

    private ExitCodes() {}
}
