package io.herald.console;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where Chromium (or Chrome) and its ChromeDriver are for the console's browser tests, named by path so that Selenium
 * downloads nothing. A browser named by {@code CHROME_BIN}, a driver by the system property
 * {@code webdriver.chrome.driver} or {@code CHROMEDRIVER}, is that one or none; otherwise the first of the usual names
 * in /usr/bin, /usr/lib/chromium and the folders of {@code PATH} (the system property {@code herald.browser.path}, a
 * list of folders, stands for those). Where either is missing the browser tests are skipped with a line saying how to
 * run them, unless {@code CI=true} or {@code herald.browser.required=true}: then they fail, so that CI never passes
 * without them.
 */
final class ChromiumLocator {
    static final String HOW_TO_RUN =
            "apt-get install chromium chromium-driver, or set CHROME_BIN and -Dwebdriver.chrome.driver (or CHROMEDRIVER)";
    private static final List<String> BROWSERS =
            List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    private static final List<String> DRIVERS = List.of("chromedriver");
    private static final List<String> USUAL_FOLDERS = List.of("/usr/bin", "/usr/lib/chromium");

    /** What counts as a browser or a driver on a real machine: an executable file (a folder has x too). */
    static final Predicate<Path> EXECUTABLE_FILE = path -> Files.isRegularFile(path) && Files.isExecutable(path);

    /** The browser and its driver, or why one is missing; {@code required}: a missing one fails the tests. */
    record Location(Path browser, Path driver, String missing, boolean required) {
        boolean found() {
            return missing == null;
        }

        /** The one line a run without a browser prints, and each skipped test gives as its reason. */
        String skipped() {
            return "[herald-test] the console's browser tests are skipped: " + missing + ". To run them: " + HOW_TO_RUN
                    + ". Under CI=true they fail instead.";
        }

        /** This location, where the browser is found or not required; an exception saying what is missing otherwise. */
        Location orFailWhenRequired() {
            if (!found() && required) {
                throw new IllegalStateException("the console's browser tests need Chromium and its driver, and CI=true"
                        + " (or herald.browser.required=true) makes them required: " + missing + ". To run them: "
                        + HOW_TO_RUN);
            }
            return this;
        }
    }

    private final Function<String, String> environment;
    private final Function<String, String> properties;
    private final Predicate<Path> executable;

    ChromiumLocator(
            Function<String, String> environment, Function<String, String> properties, Predicate<Path> executable) {
        this.environment = environment;
        this.properties = properties;
        this.executable = executable;
    }

    /** This machine's, as this JVM's environment and system properties say. */
    static Location onThisMachine() {
        return new ChromiumLocator(System::getenv, System::getProperty, EXECUTABLE_FILE).locate();
    }

    Location locate() {
        var folders = folders();
        var browser = find("Chromium or Chrome", BROWSERS, "CHROME_BIN", environment.apply("CHROME_BIN"), folders);
        var driverProperty = properties.apply("webdriver.chrome.driver");
        var driver = setting(driverProperty).isPresent()
                ? find("ChromeDriver", DRIVERS, "webdriver.chrome.driver", driverProperty, folders)
                : find("ChromeDriver", DRIVERS, "CHROMEDRIVER", environment.apply("CHROMEDRIVER"), folders);
        var missing = new ArrayList<String>();
        browser.missing(folders.described()).ifPresent(missing::add);
        driver.missing(folders.described()).ifPresent(missing::add);
        return new Location(
                browser.path(), driver.path(), missing.isEmpty() ? null : String.join("; ", missing), required());
    }

    private boolean required() {
        return isTrue(environment.apply("CI")) || isTrue(properties.apply("herald.browser.required"));
    }

    private static boolean isTrue(String value) {
        return "true".equalsIgnoreCase(setting(value).orElse(""));
    }

    /** The folders searched, and how the skip line names them. */
    private record Folders(List<Path> paths, String described) {}

    private Folders folders() {
        var given = setting(properties.apply("herald.browser.path"));
        var names = new LinkedHashSet<String>();
        if (given.isPresent()) {
            names.addAll(List.of(given.get().split(File.pathSeparator)));
        } else {
            names.addAll(USUAL_FOLDERS);
            setting(environment.apply("PATH")).ifPresent(path -> names.addAll(List.of(path.split(File.pathSeparator))));
        }
        var paths = names.stream().filter(name -> !name.isBlank()).map(Path::of).toList();
        return new Folders(
                paths,
                given.map(folders -> "herald.browser.path=" + folders)
                        .orElse(String.join(", ", USUAL_FOLDERS) + " or the PATH"));
    }

    /** What one search gave: the path, or the setting that names nothing usable, or neither. */
    private record Search(String what, List<String> names, Path path, String badSetting) {
        Optional<String> missing(String folders) {
            if (path != null) {
                return Optional.empty();
            }
            if (badSetting != null) {
                return Optional.of(badSetting + " is not an executable file");
            }
            return Optional.of("no " + what + " (" + String.join(", ", names) + ") in " + folders);
        }
    }

    /** The file a setting names (that one or none), else the first of these names in the folders, folder by folder. */
    private Search find(String what, List<String> names, String settingName, String settingValue, Folders folders) {
        var setting = setting(settingValue);
        if (setting.isPresent()) {
            var path = Path.of(setting.get());
            return executable.test(path)
                    ? new Search(what, names, path, null)
                    : new Search(what, names, null, settingName + "=" + setting.get());
        }
        var found = folders.paths().stream()
                .flatMap(folder -> names.stream().map(folder::resolve))
                .filter(executable)
                .findFirst();
        return new Search(what, names, found.orElse(null), null);
    }

    private static Optional<String> setting(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }
}
