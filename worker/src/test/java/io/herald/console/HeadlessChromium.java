package io.herald.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Chromium (Debian's, or Chrome), headless, driven by its ChromeDriver, both named by path so that Selenium downloads
 * nothing: {@link ChromiumLocator} finds them, or says why the browser tests are skipped. {@code .ci/run} installs the
 * packages chromium and chromium-driver.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Dimension LAPTOP = new Dimension(1366, 900);

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;

    private HeadlessChromium(ChromeDriver driver, Path profile, Path screenshots) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    /** The browser found at {@code chromium}, which must have been found. */
    static HeadlessChromium start(ChromiumLocator.Location chromium, Path screenshots) throws IOException {
        if (!chromium.found()) {
            throw new IllegalStateException(chromium.skipped());
        }
        var profile = Files.createTempDirectory("herald-chromium-");
        var options = new ChromeOptions()
                .setBinary(chromium.browser().toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profile,
                        "--window-size=" + LAPTOP.width + "," + LAPTOP.height);
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromium.driver().toFile())
                .usingAnyFreePort()
                .build();
        var driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(screenshots);
        return new HeadlessChromium(driver, profile, screenshots);
    }

    WebDriver driver() {
        return driver;
    }

    /** A PNG of the whole page, not only of what the window shows, as {@code name}.png (through the DevTools protocol). */
    @SuppressWarnings("unchecked")
    Path screenshot(String name) {
        var metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        var size = (Map<String, Object>) metrics.get("cssContentSize");
        double width = Math.max(LAPTOP.width, ((Number) size.get("width")).doubleValue());
        double height = Math.min(8000, ((Number) size.get("height")).doubleValue());
        var shot = driver.executeCdpCommand(
                "Page.captureScreenshot",
                Map.of(
                        "format",
                        "png",
                        "captureBeyondViewport",
                        true,
                        "clip",
                        Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        try {
            var file = screenshots.resolve(name + ".png");
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
