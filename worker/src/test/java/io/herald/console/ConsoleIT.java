package io.herald.console;

import static io.herald.console.ConsoleClient.form;
import static io.herald.testing.Commands.aPush;
import static io.herald.testing.Commands.campaign;
import static io.herald.testing.Commands.publishForUser;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.sandbox.FaultRule;
import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in headless Chromium against a real broker, database and OneAll sandbox, after a workload like
 * the demo's: a few hundred publishes and pushes, accounts that fail with 503 until they are repaired (so their commands
 * end exhausted), an account whose credentials OneAll refuses (held), a campaign, hostile text, an invalid record and
 * an unknown outcome. The tests run in order on that one workload, as an operator's session would; each page's
 * screenshot goes to target/console-screenshots/.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final String TOKEN = "operator-" + token();
    private static final String XSS = "<script>alert(1)</script>";
    private static final String XSS_METADATA = "<img src=x onerror=alert(2)>";
    private static final String XSS_ID = "<script>alert(3)</script>";
    private static final int SINGLES = 150;

    private final WorkerHarness herald = new WorkerHarness().with("HERALD_MAX_ATTEMPTS", "3").with("HERALD_CONSOLE_TOKEN", TOKEN)
            .with("HERALD_CAMPAIGN_REFRESH_S", "1");
    private final List<String> broken = IntStream.range(0, 5).mapToObj(i -> token()).toList();
    private final String revoked = token();
    private final String orphan = token();
    private final List<String> heldRecipients = List.of(token(), token(), token());
    private Console console;
    private HeadlessChromium browser;
    private WebDriver driver;

    @BeforeAll
    void workload() throws Exception {
        browser = HeadlessChromium.start(Path.of("target", "console-screenshots"));
        driver = browser.driver();
        var faults = Faults.NONE.withRule(FaultRule.failAlways(revoked, 401));
        for (var identity : broken) {
            faults = faults.withRule(FaultRule.failAlways(identity, 503));
        }
        for (var user : heldRecipients) {
            faults = faults.withRule(FaultRule.failAlways(user, 401));
        }
        var unknownUser = token();
        herald.sandbox().setFaults(faults.withRule(FaultRule.failAlways(unknownUser, 404)));
        herald.startWorker();
        leaveInFlight("orphan-push", orphan);
        console = Console.start(herald.config(), 0, "127.0.0.1");

        var commands = new ArrayList<String>();
        for (int i = 0; i < SINGLES; i++) {
            commands.add(publishForUser("publish-" + i, token(), "twitter", "facebook"));
            commands.add(aPush().withId("push-" + i).json());
        }
        for (int i = 0; i < broken.size(); i++) {
            commands.add(aPush().withId("broken-push-" + i).forIdentity(broken.get(i)).json());
        }
        commands.add(aPush().withId("revoked-push").forIdentity(revoked).json());
        commands.add(aPush().withId("orphan-push").forIdentity(orphan).json());
        commands.add(hostilePublish("xss-dead", unknownUser));
        commands.add(hostilePublish("xss-ok", token()));
        commands.add(campaign("held-part-1", "held-campaign", 0, heldRecipients, "Held back"));
        herald.sendAll(commands);
        herald.sendRaw(null, ("{\"command_id\":\"" + XSS_ID + "\",\"type\":\"publish\"}").getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(herald.count("SELECT count(*) FROM commands WHERE status = 'succeeded' AND command_id ~ '^(publish|push)-'"))
                    .isEqualTo(2L * SINGLES);
            assertThat(herald.count("SELECT count(*) FROM dead_letters WHERE error_class = 'exhausted'")).isEqualTo(broken.size());
            assertThat(herald.count("SELECT count(*) FROM dead_letters")).isEqualTo(broken.size() + 3);
            assertThat(herald.count("SELECT count(*) FROM identity_holds WHERE routing_key = ?", revoked)).isEqualTo(1);
            assertThat(herald.status("xss-ok")).isEqualTo("succeeded");
        });
    }

    private static String hostilePublish(String commandId, String user) {
        return "{\"command_id\":\"" + commandId + "\",\"type\":\"publish\",\"metadata\":{\"note\":\"" + XSS_METADATA + "\"},"
                + "\"sharing_message\":{\"parts\":{\"text\":{\"body\":\"" + XSS + "\"}},\"publish_for_user\":{\"user_token\":\"" + user
                + "\",\"providers\":[\"twitter\"]}}}";
    }

    /** What a worker killed between its claim and OneAll's answer leaves behind: its next delivery is an unknown outcome. */
    private void leaveInFlight(String commandId, String identity) throws Exception {
        try (var connection = herald.database().getConnection(); var statement = connection.prepareStatement("""
                INSERT INTO commands (command_id, type, status, attempts, routing_key, claimed_by)
                VALUES (?, 'push', 'in_flight', 1, ?, 'a-worker-that-died')""")) {
            statement.setString(1, commandId);
            statement.setString(2, identity);
            statement.executeUpdate();
        }
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
        herald.close();
    }

    /** Opens a console page; no page ever shows the operator token or the database password. */
    private void open(String path) {
        driver.get(console.url() + path.substring(1));
        assertNoSecret();
    }

    private void assertNoSecret() {
        var source = driver.getPageSource();
        assertThat(source).doesNotContain(TOKEN);
        var password = herald.environment().get("HERALD_DATABASE_PASSWORD");
        if (password != null && !password.isEmpty()) {
            assertThat(source).doesNotContain(password);
        }
    }

    private String heading() {
        return driver.findElement(By.tagName("h1")).getText();
    }

    private List<WebElement> rows(String caption) {
        return driver.findElements(By.xpath("//table[caption[contains(., '" + caption + "')]]/tbody/tr[not(td[@class='empty'])]"));
    }

    /** Clicks the button or link of this text and waits for the page it leads to. */
    private void click(String buttonText) {
        follow(driver.findElement(By.xpath("//button[normalize-space(.)='" + buttonText + "'] | //a[normalize-space(.)='" + buttonText + "']")));
    }

    private void follow(WebElement buttonOrLink) {
        buttonOrLink.click();
        var wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.stalenessOf(buttonOrLink));
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        assertNoSecret();
    }

    @Test
    @Order(1)
    void the_overview_shows_commands_by_status_dead_letters_by_class_and_the_lag_of_every_partition() {
        open("/");

        assertThat(heading()).isEqualTo("Overview");
        assertThat(driver.findElement(By.cssSelector("meta[http-equiv=refresh]")).getAttribute("content")).isEqualTo("5");
        assertThat(rows("by status now")).extracting(WebElement::getText).anyMatch(row -> row.startsWith("succeeded"))
                .anyMatch(row -> row.startsWith("dead_lettered"));
        assertThat(rows("Dead letters by error class")).extracting(WebElement::getText).anyMatch(row -> row.startsWith("exhausted 5"));
        assertThat(rows("Consumer lag per partition")).hasSize(6);
        assertThat(driver.findElement(By.xpath("//section[h2='In flight and waiting']")).getText()).contains("Identities held for credentials");
        browser.screenshot("overview");
    }

    @Test
    @Order(2)
    void a_command_found_by_its_id_shows_every_attempt_with_oneall_s_status() {
        open("/commands");
        assertThat(driver.findElement(By.cssSelector("label[for=q]")).getText()).isEqualTo("Command id, routing key or campaign id");
        assertThat(rows("The latest commands")).hasSizeGreaterThan(50);
        browser.screenshot("commands");

        driver.findElement(By.id("q")).sendKeys("broken-push-0");
        click("Find");

        assertThat(heading()).isEqualTo("Command broken-push-0");
        assertThat(driver.findElement(By.xpath("//section[h2='Status']")).getText()).contains("dead_lettered").contains(broken.get(0));
        assertThat(rows("Every call made to OneAll")).hasSize(3).allSatisfy(row -> assertThat(row.getText()).contains("503"));
        assertThat(rows("dead letter(s)")).hasSize(1).allSatisfy(row -> assertThat(row.getText()).contains("exhausted"));
        assertThat(driver.findElement(By.xpath("//section[h2='Outcome events']")).getText()).contains("dead_lettered");
        browser.screenshot("command");
    }

    @Test
    @Order(3)
    void hostile_text_from_a_command_renders_as_text_and_runs_nothing() {
        open("/command?id=xss-dead");
        assertInert();
        var page = driver.findElement(By.tagName("main")).getText();
        assertThat(page).contains(XSS_METADATA).contains("\"body\" : \"" + XSS + "\"");
        browser.screenshot("command-hostile-text");

        open("/command?id=xss-ok");
        assertInert();
        assertThat(driver.findElement(By.xpath("//section[h2='Sharing messages']")).getText()).contains(XSS);

        open("/dead-letters?class=invalid");
        assertInert();
        assertThat(rows("dead letter(s)")).extracting(WebElement::getText).anyMatch(row -> row.contains(XSS_ID));
    }

    private void assertInert() {
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(driver.findElements(By.tagName("script"))).isEmpty();
        assertThat(driver.findElements(By.tagName("img"))).isEmpty();
    }

    @Test
    @Order(4)
    void changes_without_the_operator_token_or_without_the_csrf_token_are_refused_and_change_nothing() throws Exception {
        var client = new ConsoleClient(console.url());
        var csrf = client.csrf();
        var cancel = form("id", "held-campaign", "confirm", "yes", "csrf", csrf);
        assertThat(client.post("/campaign/cancel", cancel).statusCode()).as("no operator token").isEqualTo(403);
        assertThat(client.post("/identities/resume", form("routing_key", revoked, "csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(client.post("/dead-letters/preview", form("class", "exhausted", "csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(client.post("/login", form("token", "not-" + TOKEN, "csrf", csrf)).statusCode()).as("a wrong token").isEqualTo(403);

        assertThat(client.post("/login", form("token", TOKEN, "name", "script", "csrf", csrf)).statusCode()).isEqualTo(303);
        var signedInCsrf = client.csrf();
        assertThat(signedInCsrf).as("signing in gives a new session").isNotEqualTo(csrf);
        assertThat(client.post("/campaign/cancel", form("id", "held-campaign", "confirm", "yes")).statusCode()).as("no CSRF token")
                .isEqualTo(403);
        assertThat(client.post("/campaign/cancel", cancel).statusCode()).as("the CSRF token of the session before").isEqualTo(403);
        assertThat(client.post("/identities/resume", form("routing_key", revoked, "csrf", "forged")).statusCode()).isEqualTo(403);
        assertThat(client.post("/campaign/cancel", form("id", "held-campaign", "confirm", "yes", "csrf", signedInCsrf),
                Map.of("Origin", "http://evil.example")).statusCode()).as("another site's form").isEqualTo(403);

        signIn();
        open("/campaign/cancel?id=held-campaign");
        ((JavascriptExecutor) driver).executeScript("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())");
        click("Yes, cancel campaign held-campaign");
        assertThat(heading()).isEqualTo("Refused");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("no valid CSRF token").contains("Nothing was changed");
        browser.screenshot("refused");

        assertThat(herald.string("SELECT status FROM campaigns WHERE campaign_id = 'held-campaign'")).isEqualTo("active");
        assertThat(herald.count("SELECT count(*) FROM identity_holds WHERE resumed_at IS NOT NULL")).isZero();
        assertThat(herald.count("SELECT coalesce(sum(replay_count), 0) FROM dead_letters")).isZero();
    }

    private void signIn() {
        open("/login");
        assertThat(driver.findElement(By.cssSelector("label[for=token]")).getText()).contains("Operator token");
        browser.screenshot("sign-in");
        driver.findElement(By.id("token")).sendKeys(TOKEN);
        driver.findElement(By.id("name")).sendKeys("alice");
        click("Sign in");
        assertThat(driver.findElement(By.cssSelector(".operator")).getText()).contains("Signed in as alice");
    }

    @Test
    @Order(5)
    void exhausted_dead_letters_are_previewed_then_replayed_once_the_accounts_are_repaired_and_succeed() {
        herald.sandbox().setFaults(Faults.NONE);
        open("/dead-letters");
        new Select(driver.findElement(By.id("class"))).selectByValue("exhausted");
        click("Filter");
        assertThat(rows("dead letter(s)")).hasSize(5).allSatisfy(row -> assertThat(row.getText()).contains("send it again"));
        browser.screenshot("dead-letters");

        click("Preview a replay of these dead letters");
        assertThat(heading()).isEqualTo("Replay preview (dry run)");
        assertThat(driver.findElement(By.cssSelector("p.summary")).getText())
                .isEqualTo("5 dead letter(s) will be sent again; 0 will be skipped. Nothing has been sent yet.");
        assertThat(herald.count("SELECT coalesce(sum(replay_count), 0) FROM dead_letters")).as("a dry run sends nothing").isZero();
        browser.screenshot("replay-preview");

        click("Replay these 5 dead letter(s)");
        assertThat(driver.findElement(By.cssSelector("p.summary")).getText()).isEqualTo("Replayed 5 dead letter(s); skipped 0.");
        browser.screenshot("replay-done");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(herald.count(
                "SELECT count(*) FROM commands WHERE command_id LIKE 'broken-push-%' AND status = 'succeeded'")).isEqualTo(5));
        for (var identity : broken) {
            assertThat(herald.sandbox().journal().forToken(identity)).extracting(Journal.Entry::status).containsExactly(503, 503, 503, 200);
        }

        open("/dead-letters?class=exhausted&replayed=on");
        assertThat(rows("dead letter(s)")).hasSize(5).allSatisfy(row -> assertThat(row.getText()).contains("succeeded")
                .contains("console:alice").contains("skip: the command already succeeded"));
        click("Preview a replay of these dead letters");
        assertThat(driver.findElement(By.cssSelector("p.summary")).getText()).startsWith("0 dead letter(s) will be sent again; 5 will be skipped");
        assertThat(driver.findElements(By.xpath("//button[starts-with(., 'Replay these')]"))).isEmpty();
        browser.screenshot("replay-preview-all-skipped");
        assertThat(herald.strings("SELECT replayed_by || ' ' || replay_count FROM dead_letters WHERE error_class = 'exhausted'"))
                .containsOnly("console:alice 1");
    }

    @Test
    @Order(6)
    void the_dry_run_of_an_unknown_outcome_warns_that_it_may_post_twice() {
        open("/dead-letters?class=unknown-outcome");
        click("Preview a replay of these dead letters");

        assertThat(driver.findElement(By.cssSelector("p.warning")).getText()).contains("1 of them are unknown-outcome").contains("may post twice");
        assertThat(rows("dead letter(s)")).singleElement().satisfies(row -> assertThat(row.getText()).contains("orphan-push")
                .contains("WARNING: OneAll may have carried out its first attempt"));
        browser.screenshot("replay-preview-unknown-outcome");
        assertThat(herald.count("SELECT replay_count FROM dead_letters WHERE command_id = 'orphan-push'")).isZero();
    }

    @Test
    @Order(7)
    void a_held_identity_is_resumed_and_its_command_then_succeeds() {
        open("/identities");
        var row = driver.findElement(By.xpath("//tr[td[contains(., '" + revoked + "')]]"));
        assertThat(row.getText()).contains("revoked-push").contains("401");
        browser.screenshot("identities");

        follow(row.findElement(By.xpath(".//button[.='Resume']")));
        assertThat(driver.findElement(By.cssSelector("p.flash")).getText()).contains("is resumed");
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("revoked-push")));
        assertThat(herald.string("SELECT resumed_by FROM identity_holds WHERE routing_key = ?", revoked)).isEqualTo("console:alice");
    }

    @Test
    @Order(8)
    void a_campaign_s_progress_is_watched_until_it_reaches_100_percent_with_its_referral_curve() {
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 0));
        var users = IntStream.range(0, 300).mapToObj(i -> token()).toList();
        herald.send(campaign("spring-part-1", "spring", 0, users, "Spring sale"));
        await().atMost(Duration.ofSeconds(30)).until(() -> herald.string("SELECT status FROM campaigns WHERE campaign_id = 'spring'") != null);

        open("/campaign?id=spring");
        browser.screenshot("campaign-in-progress");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(
                driver.findElement(By.cssSelector("p.summary")).getText()).contains("100 % of 300 recipients ended"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            open("/campaign?id=spring");
            assertThat(driver.findElements(By.cssSelector("figure svg .dots circle"))).hasSizeGreaterThanOrEqualTo(2);
        });
        assertThat(driver.findElement(By.xpath("//section[h2='Message']")).getText()).contains("Spring sale");
        assertThat(rows("Short URLs")).isNotEmpty();
        browser.screenshot("campaign");

        open("/campaigns");
        assertThat(rows("The latest campaigns")).extracting(WebElement::getText).anyMatch(r -> r.startsWith("spring"));
        browser.screenshot("campaigns");
    }

    @Test
    @Order(9)
    void a_campaign_is_cancelled_after_a_confirmation() {
        open("/campaign?id=held-campaign");
        click("Cancel this campaign…");
        assertThat(heading()).isEqualTo("Cancel campaign held-campaign?");
        assertThat(herald.string("SELECT status FROM campaigns WHERE campaign_id = 'held-campaign'")).as("asking changes nothing")
                .isEqualTo("active");
        browser.screenshot("campaign-cancel-confirmation");

        click("Yes, cancel campaign held-campaign");
        assertThat(driver.findElement(By.cssSelector("p.flash")).getText()).isEqualTo("Campaign held-campaign is cancelled.");
        assertThat(herald.string("SELECT status FROM campaigns WHERE campaign_id = 'held-campaign'")).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(herald.count(
                "SELECT count(*) FROM commands WHERE campaign_id = 'held-campaign' AND status IN ('pending', 'in_flight')")).isZero());
    }
}
