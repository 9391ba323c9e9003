package io.herald.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Directories of dev mode's embedded servers. */
public final class DevDirectories {
    private DevDirectories() {}

    /** A new temporary directory for one run of dev mode or one test JVM. */
    public static Path newRunDirectory(String prefix) {
        try {
            var directory = Files.createTempDirectory(prefix);
            createReadable(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /**
     * Creates the directory readable by others: run as root, the embedded PostgreSQL drops to the
     * user {@code nobody}, which must be able to reach its data directory.
     */
    public static void createReadable(Path directory) throws IOException {
        Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to open up
        }
    }

    /** Deletes a run directory and what is in it, as far as it can: what a server still holds open stays. */
    public static void delete(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary directory left behind is only space
        }
    }
}
