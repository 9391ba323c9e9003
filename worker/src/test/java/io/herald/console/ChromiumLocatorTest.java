package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which browser and driver the console's browser tests take, and when their absence skips or fails them: no browser. */
class ChromiumLocatorTest {
    private final Map<String, String> environment = new HashMap<>(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"));
    private final Map<String, String> properties = new HashMap<>();

    /** The locator on a machine where exactly these files are executable. */
    private ChromiumLocator.Location locate(String... executables) {
        Set<Path> files = Stream.of(executables).map(Path::of).collect(Collectors.toSet());
        return new ChromiumLocator(environment::get, properties::get, files::contains).locate();
    }

    @Test
    void debian_s_chromium_and_its_driver_are_found_on_their_usual_paths() {
        var location = locate("/usr/bin/chromium", "/usr/bin/chromedriver");

        assertThat(location.found()).isTrue();
        assertThat(location.browser()).isEqualTo(Path.of("/usr/bin/chromium"));
        assertThat(location.driver()).isEqualTo(Path.of("/usr/bin/chromedriver"));
        assertThat(locate("/usr/bin/chromium-browser", "/usr/lib/chromium/chromedriver"))
                .extracting(ChromiumLocator.Location::browser, ChromiumLocator.Location::driver)
                .containsExactly(Path.of("/usr/bin/chromium-browser"), Path.of("/usr/lib/chromium/chromedriver"));
    }

    @Test
    void chrome_and_a_driver_elsewhere_are_found_through_the_path() {
        environment.put("PATH", "/opt/google/chrome:/home/dev/bin");

        var location = locate("/opt/google/chrome/google-chrome", "/home/dev/bin/chromedriver");

        assertThat(location.found()).isTrue();
        assertThat(location.browser()).isEqualTo(Path.of("/opt/google/chrome/google-chrome"));
        assertThat(location.driver()).isEqualTo(Path.of("/home/dev/bin/chromedriver"));
    }

    @Test
    void chrome_bin_and_the_driver_property_win_over_what_the_folders_hold() {
        environment.put("CHROME_BIN", "/opt/chrome/chrome");
        environment.put("CHROMEDRIVER", "/opt/env/chromedriver");
        properties.put("webdriver.chrome.driver", "/opt/property/chromedriver");

        var location = locate(
                "/usr/bin/chromium",
                "/usr/bin/chromedriver",
                "/opt/chrome/chrome",
                "/opt/env/chromedriver",
                "/opt/property/chromedriver");

        assertThat(location.browser()).isEqualTo(Path.of("/opt/chrome/chrome"));
        assertThat(location.driver())
                .as("the property before the variable")
                .isEqualTo(Path.of("/opt/property/chromedriver"));
        properties.clear();
        assertThat(locate("/usr/bin/chromium", "/usr/bin/chromedriver", "/opt/env/chromedriver")
                        .driver())
                .isEqualTo(Path.of("/opt/env/chromedriver"));
    }

    @Test
    void a_setting_that_names_no_executable_is_not_replaced_by_another_browser() {
        environment.put("CHROME_BIN", "/nonexistent");

        var location = locate("/usr/bin/chromium", "/usr/bin/chromedriver");

        assertThat(location.found()).isFalse();
        assertThat(location.missing()).isEqualTo("CHROME_BIN=/nonexistent is not an executable file");
    }

    @Test
    void without_a_browser_the_tests_are_skipped_with_one_line_that_says_how_to_run_them() {
        var location = locate("/usr/bin/chromedriver");

        assertThat(location.found()).isFalse();
        assertThat(location.required()).isFalse();
        assertThat(location.orFailWhenRequired()).isSameAs(location);
        assertThat(location.skipped())
                .isEqualTo("[herald-test] the console's browser tests are skipped: no Chromium or Chrome (chromium,"
                        + " chromium-browser, google-chrome, google-chrome-stable) in /usr/bin, /usr/lib/chromium or"
                        + " the PATH. To run them: apt-get install chromium chromium-driver, or set CHROME_BIN and"
                        + " -Dwebdriver.chrome.driver (or CHROMEDRIVER). Under CI=true they fail instead.")
                .doesNotContain("\n");
    }

    @Test
    void the_folders_searched_can_be_named_so_that_a_machine_with_a_browser_looks_like_one_without() {
        properties.put("herald.browser.path", "/nonexistent");

        var location = locate("/usr/bin/chromium", "/usr/bin/chromedriver");

        assertThat(location.found()).isFalse();
        assertThat(location.missing())
                .isEqualTo("no Chromium or Chrome (chromium, chromium-browser, google-chrome, google-chrome-stable) in"
                        + " herald.browser.path=/nonexistent; no ChromeDriver (chromedriver) in"
                        + " herald.browser.path=/nonexistent");
    }

    @Test
    void under_ci_or_when_asked_a_missing_browser_fails_the_tests() {
        environment.put("CI", "true");
        var underCi = locate();
        assertThat(underCi.required()).isTrue();
        assertThatThrownBy(underCi::orFailWhenRequired)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CI=true")
                .hasMessageContaining("no Chromium or Chrome")
                .hasMessageContaining("apt-get install chromium chromium-driver");
        assertThat(locate("/usr/bin/chromium", "/usr/bin/chromedriver")
                        .orFailWhenRequired()
                        .found())
                .as("found, nothing to fail")
                .isTrue();

        environment.remove("CI");
        properties.put("herald.browser.required", "true");
        assertThat(locate().required()).isTrue();
        properties.remove("herald.browser.required");
        environment.put("CI", "false");
        assertThat(locate().required()).isFalse();
    }

    @Test
    void on_a_real_file_system_only_executable_files_count(@TempDir Path folder) throws IOException {
        var chromium = Files.createFile(folder.resolve("chromium"));
        var driver = Files.createFile(folder.resolve("chromedriver"));
        Files.createDirectory(folder.resolve("google-chrome"));
        properties.put("herald.browser.path", folder.toString());
        var locator = new ChromiumLocator(environment::get, properties::get, ChromiumLocator.EXECUTABLE_FILE);

        var notExecutable = locator.locate();
        assertThat(notExecutable.browser()).as("a file without x, a folder").isNull();
        assertThat(notExecutable.driver()).isNull();

        Files.setPosixFilePermissions(chromium, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(driver, PosixFilePermissions.fromString("rwxr-xr-x"));
        var location = locator.locate();
        assertThat(location.found()).isTrue();
        assertThat(location.browser()).isEqualTo(chromium);
        assertThat(location.driver()).isEqualTo(driver);
    }
}
