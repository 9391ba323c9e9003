package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console as an operator's browser sees it: pages opened by path, buttons and links clicked by their text, tables
 * found by their caption. Every page it lands on is checked for secrets: none may show one.
 */
final class ConsolePages {
    private final HeadlessChromium browser;
    private final String base;
    private final List<String> secrets;

    ConsolePages(HeadlessChromium browser, String base, List<String> secrets) {
        this.browser = browser;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }

    WebDriver driver() {
        return browser.driver();
    }

    void open(String path) {
        driver().get(base + path);
        assertNoSecret();
    }

    String heading() {
        return driver().findElement(By.tagName("h1")).getText();
    }

    /** The text of the first element the CSS selector finds. */
    String text(String cssSelector) {
        return driver().findElement(By.cssSelector(cssSelector)).getText();
    }

    /** The text of the section under this heading. */
    String section(String heading) {
        return driver().findElement(By.xpath("//section[h2='" + heading + "']")).getText();
    }

    /** The rows of the table whose caption contains {@code caption} (its "none" row apart). */
    List<WebElement> rows(String caption) {
        return driver().findElements(
                        By.xpath("//table[caption[contains(., '" + caption + "')]]/tbody/tr[not(td[@class='empty'])]"));
    }

    /** Clicks the button or link of this text and waits for the page it leads to. */
    void click(String text) {
        follow(driver().findElement(By.xpath(
                "//button[normalize-space(.)='" + text + "'] | //a[normalize-space(.)='" + text + "']")));
    }

    /**
     * Whether the element is gone with the page it was on. Chromium's driver says so either as a stale element or, when
     * it asks about the node while the next page replaces the document, as an "unhandled inspector error: Node with
     * given id does not belong to the document" (which Selenium's {@code stalenessOf} lets through: a CI run failed on
     * it).
     */
    private static boolean isStale(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    void follow(WebElement buttonOrLink) {
        buttonOrLink.click();
        var wait = new WebDriverWait(driver(), Duration.ofSeconds(30));
        wait.until(d -> isStale(buttonOrLink));
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        assertNoSecret();
    }

    Object script(String javascript) {
        return ((JavascriptExecutor) driver()).executeScript(javascript);
    }

    void screenshot(String name) {
        browser.screenshot(name);
    }

    private void assertNoSecret() {
        var source = driver().getPageSource();
        for (var secret : secrets) {
            assertThat(source).as("a page shows a secret").doesNotContain(secret);
        }
    }
}
