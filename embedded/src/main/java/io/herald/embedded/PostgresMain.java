package io.herald.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;

/**
 * The embedded PostgreSQL in a child JVM of its own ({@code PostgresMain DATA_DIR PORT}): it stops
 * when that JVM is told to (SIGTERM) or when its parent is gone ({@link ChildMain}), never at the same
 * moment as the worker that is still writing its last records.
 */
public final class PostgresMain {
    private PostgresMain() {}

    public static void main(String[] args) throws Exception {
        var dataDirectory = Path.of(args[0]);
        var port = Integer.parseInt(args[1]);
        EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "300")
                .setOutputRedirector(ProcessBuilder.Redirect.INHERIT)
                .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
                .start();
        System.out.println("POSTGRES READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
