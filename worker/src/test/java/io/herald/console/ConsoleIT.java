package io.herald.console;

import static io.herald.console.ConsoleClient.form;
import static io.herald.testing.Commands.campaign;
import static io.herald.testing.Commands.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.herald.sandbox.Faults;
import io.herald.sandbox.Journal;
import io.herald.testing.WorkerHarness;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The operator console in headless Chromium against a real broker, database and OneAll sandbox, after a workload like
 * the demo's: a few hundred publishes and pushes, accounts that fail with 503 until they are repaired (so their commands
 * end exhausted), an account whose credentials OneAll refuses (held), a campaign, hostile text, an invalid record and
 * an unknown outcome. The tests run in order on that one workload, as an operator's session would; each page's
 * screenshot goes to target/console-screenshots/. Where {@link ChromiumLocator} finds no browser, the tests that need
 * one are skipped (failed under CI=true) and those that speak HTTP to the console run all the same.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final String TOKEN = "operator-" + token();
    private static final String XSS = OperatorWorkload.XSS;

    private final WorkerHarness herald = new WorkerHarness()
            .with("HERALD_MAX_ATTEMPTS", "3")
            .with("HERALD_CONSOLE_TOKEN", TOKEN)
            .with("HERALD_CAMPAIGN_REFRESH_S", "1");
    private final OperatorWorkload workload = new OperatorWorkload(herald);
    private final List<String> broken = workload.broken;
    private final String revoked = workload.revoked;
    private ChromiumLocator.Location chromium;
    private Console console;
    private HeadlessChromium browser;
    private ConsolePages pages;

    @BeforeAll
    void start() throws Exception {
        chromium = ChromiumLocator.onThisMachine().orFailWhenRequired();
        if (chromium.found()) {
            browser = HeadlessChromium.start(chromium, Path.of("target", "console-screenshots"));
        } else {
            System.out.println(chromium.skipped());
        }
        workload.breakAccounts();
        herald.startWorker();
        console = Console.start(herald.config(), 0, "127.0.0.1");
        if (browser != null) {
            pages = new ConsolePages(
                    browser, console.url(), List.of(TOKEN, herald.environment().get("HERALD_DATABASE_PASSWORD")));
        }
        workload.sendAndSettle();
    }

    /** The first step of a test that drives the browser: without one, the test is skipped, saying how to run it. */
    private void needsTheBrowser() {
        assumeTrue(chromium.found(), chromium::skipped);
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

    @Test
    @Order(1)
    void the_overview_shows_commands_by_status_dead_letters_by_class_and_the_lag_of_every_partition() {
        needsTheBrowser();
        pages.open("/");

        assertThat(pages.heading()).isEqualTo("Overview");
        assertThat(pages.driver()
                        .findElement(By.cssSelector("meta[http-equiv=refresh]"))
                        .getAttribute("content"))
                .isEqualTo("5");
        assertThat(pages.rows("by status now"))
                .extracting(WebElement::getText)
                .anyMatch(row -> row.startsWith("succeeded"))
                .anyMatch(row -> row.startsWith("dead_lettered"));
        assertThat(pages.rows("Dead letters by error class"))
                .extracting(WebElement::getText)
                .anyMatch(row -> row.startsWith("exhausted 5"));
        assertThat(pages.rows("Consumer lag per partition")).hasSize(6);
        assertThat(pages.section("In flight and waiting")).contains("Identities held for credentials");
        pages.screenshot("overview");
    }

    @Test
    @Order(2)
    void a_command_found_by_its_id_shows_every_attempt_with_oneall_s_status() {
        needsTheBrowser();
        pages.open("/commands");
        assertThat(pages.text("label[for=q]")).isEqualTo("Command id, routing key or campaign id");
        assertThat(pages.rows("The latest commands")).hasSizeGreaterThan(50);
        pages.screenshot("commands");

        pages.driver().findElement(By.id("q")).sendKeys("broken-push-0");
        pages.click("Find");

        assertThat(pages.heading()).isEqualTo("Command broken-push-0");
        assertThat(pages.section("Status")).contains("dead_lettered").contains(broken.get(0));
        assertThat(pages.rows("Every call made to OneAll"))
                .hasSize(3)
                .allSatisfy(row -> assertThat(row.getText()).contains("503"));
        assertThat(pages.rows("dead letter(s)"))
                .hasSize(1)
                .allSatisfy(row -> assertThat(row.getText()).contains("exhausted"));
        assertThat(pages.section("Outcome events")).contains("dead_lettered");
        pages.screenshot("command");
    }

    @Test
    @Order(3)
    void hostile_text_from_a_command_renders_as_text_and_runs_nothing() {
        needsTheBrowser();
        pages.open("/command?id=xss-dead");
        assertInert();
        var page = pages.text("main");
        assertThat(page).contains(OperatorWorkload.XSS_METADATA).contains("\"body\" : \"" + XSS + "\"");
        pages.screenshot("command-hostile-text");

        pages.open("/command?id=xss-ok");
        assertInert();
        assertThat(pages.section("Sharing messages")).contains(XSS);

        pages.open("/dead-letters?class=invalid");
        assertInert();
        assertThat(pages.rows("dead letter(s)"))
                .extracting(WebElement::getText)
                .anyMatch(row -> row.contains(OperatorWorkload.XSS_ID));
    }

    private void assertInert() {
        assertThatThrownBy(() -> pages.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(pages.driver().findElements(By.tagName("script"))).isEmpty();
        assertThat(pages.driver().findElements(By.tagName("img"))).isEmpty();
    }

    @Test
    @Order(4)
    void without_an_operator_token_the_console_is_read_only_and_without_kafka_says_the_lag_is_unknown()
            throws Exception {
        try (var readOnly = Console.start(
                herald.config().with(Map.of("HERALD_CONSOLE_TOKEN", "", "KAFKA_BOOTSTRAP_SERVERS", "")),
                0,
                "127.0.0.1")) {
            var client = new ConsoleClient(readOnly.url());
            var overview = client.get("/").body();
            assertThat(overview).contains("read-only").contains("Lag is unknown: KAFKA_BOOTSTRAP_SERVERS is not set");
            assertThat(client.get("/login").body())
                    .as("no form to sign in with")
                    .doesNotContain("name=\"csrf\"");
            assertThat(client.post("/login", form("token", TOKEN)).statusCode()).isEqualTo(403);
            var refused = client.post("/identities/resume", form("routing_key", revoked));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("The console is read-only");
            assertThat(client.get("/identities").body()).doesNotContain("<button type=\"submit\">Resume");
        }
        assertThat(herald.count("SELECT count(*) FROM identity_holds WHERE resumed_at IS NOT NULL"))
                .isZero();
    }

    @Test
    @Order(5)
    void changes_without_the_operator_token_or_without_the_csrf_token_are_refused_and_change_nothing()
            throws Exception {
        var client = new ConsoleClient(console.url());
        var csrf = client.csrf();
        var cancel = form("id", "held-campaign", "confirm", "yes", "csrf", csrf);
        assertThat(client.post("/campaign/cancel", cancel).statusCode())
                .as("no operator token")
                .isEqualTo(403);
        assertThat(client.post("/identities/resume", form("routing_key", revoked, "csrf", csrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(client.post("/dead-letters/preview", form("class", "exhausted", "csrf", csrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(client.post("/login", form("token", "not-" + TOKEN, "csrf", csrf))
                        .statusCode())
                .as("a wrong token")
                .isEqualTo(403);

        assertThat(client.post("/login", form("token", TOKEN, "name", "script", "csrf", csrf))
                        .statusCode())
                .isEqualTo(303);
        var signedInCsrf = client.csrf();
        assertThat(signedInCsrf).as("signing in gives a new session").isNotEqualTo(csrf);
        assertThat(client.post("/campaign/cancel", form("id", "held-campaign", "confirm", "yes"))
                        .statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        assertThat(client.post("/campaign/cancel", cancel).statusCode())
                .as("the CSRF token of the session before")
                .isEqualTo(403);
        assertThat(client.post("/identities/resume", form("routing_key", revoked, "csrf", "forged"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(client.post(
                                "/campaign/cancel",
                                form("id", "held-campaign", "confirm", "yes", "csrf", signedInCsrf),
                                Map.of("Origin", "http://evil.example"))
                        .statusCode())
                .as("another site's form")
                .isEqualTo(403);

        assertNothingChanged();
    }

    @Test
    @Order(6)
    void a_form_sent_from_the_browser_without_its_csrf_token_is_refused_and_changes_nothing() {
        needsTheBrowser();
        signIn();
        pages.open("/campaign/cancel?id=held-campaign");
        pages.script("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())");
        pages.click("Yes, cancel campaign held-campaign");
        assertThat(pages.heading()).isEqualTo("Refused");
        assertThat(pages.text("main")).contains("no valid CSRF token").contains("Nothing was changed");
        pages.screenshot("refused");

        assertNothingChanged();
    }

    private void assertNothingChanged() {
        assertThat(herald.string("SELECT status FROM campaigns WHERE campaign_id = 'held-campaign'"))
                .isEqualTo("active");
        assertThat(herald.count("SELECT count(*) FROM identity_holds WHERE resumed_at IS NOT NULL"))
                .isZero();
        assertThat(herald.count("SELECT coalesce(sum(replay_count), 0) FROM dead_letters"))
                .isZero();
    }

    private void signIn() {
        pages.open("/login");
        assertThat(pages.text("label[for=token]")).contains("Operator token");
        pages.screenshot("sign-in");
        pages.driver().findElement(By.id("token")).sendKeys(TOKEN);
        pages.driver().findElement(By.id("name")).sendKeys("alice");
        pages.click("Sign in");
        assertThat(pages.text(".operator")).contains("Signed in as alice");
    }

    @Test
    @Order(7)
    void exhausted_dead_letters_are_previewed_then_replayed_once_the_accounts_are_repaired_and_succeed() {
        needsTheBrowser();
        herald.sandbox().setFaults(Faults.NONE);
        pages.open("/dead-letters");
        new Select(pages.driver().findElement(By.id("class"))).selectByValue("exhausted");
        pages.click("Filter");
        assertThat(pages.rows("dead letter(s)"))
                .hasSize(5)
                .allSatisfy(row -> assertThat(row.getText()).contains("send it again"));
        pages.screenshot("dead-letters");

        pages.click("Preview a replay of these dead letters");
        assertThat(pages.heading()).isEqualTo("Replay preview (dry run)");
        assertThat(pages.text("p.summary"))
                .isEqualTo("5 dead letter(s) will be sent again; 0 will be skipped. Nothing has been sent yet.");
        assertThat(herald.count("SELECT coalesce(sum(replay_count), 0) FROM dead_letters"))
                .as("a dry run sends nothing")
                .isZero();
        pages.screenshot("replay-preview");

        pages.click("Replay these 5 dead letter(s)");
        assertThat(pages.text("p.summary")).isEqualTo("Replayed 5 dead letter(s); skipped 0.");
        pages.screenshot("replay-done");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                herald.count(
                                        "SELECT count(*) FROM commands WHERE command_id LIKE 'broken-push-%' AND status = 'succeeded'"))
                        .isEqualTo(5));
        for (var identity : broken) {
            assertThat(herald.sandbox().journal().forToken(identity))
                    .extracting(Journal.Entry::status)
                    .containsExactly(503, 503, 503, 200);
        }

        pages.open("/dead-letters?class=exhausted&replayed=on");
        assertThat(pages.rows("dead letter(s)"))
                .hasSize(5)
                .allSatisfy(row -> assertThat(row.getText())
                        .contains("succeeded")
                        .contains("console:alice")
                        .contains("skip: the command already succeeded"));
        pages.click("Preview a replay of these dead letters");
        assertThat(pages.text("p.summary")).startsWith("0 dead letter(s) will be sent again; 5 will be skipped");
        assertThat(pages.driver().findElements(By.xpath("//button[starts-with(., 'Replay these')]")))
                .isEmpty();
        pages.screenshot("replay-preview-all-skipped");
        assertThat(herald.strings(
                        "SELECT replayed_by || ' ' || replay_count FROM dead_letters WHERE error_class = 'exhausted'"))
                .containsOnly("console:alice 1");
    }

    @Test
    @Order(8)
    void the_dry_run_of_an_unknown_outcome_warns_that_it_may_post_twice() {
        needsTheBrowser();
        pages.open("/dead-letters?class=unknown-outcome");
        pages.click("Preview a replay of these dead letters");

        assertThat(pages.text("p.warning"))
                .contains("1 of them are unknown-outcome")
                .contains("may post twice");
        assertThat(pages.rows("dead letter(s)"))
                .singleElement()
                .satisfies(row -> assertThat(row.getText())
                        .contains("orphan-push")
                        .contains("WARNING: OneAll may have carried out its first attempt"));
        pages.screenshot("replay-preview-unknown-outcome");
        assertThat(herald.count("SELECT replay_count FROM dead_letters WHERE command_id = 'orphan-push'"))
                .isZero();
    }

    @Test
    @Order(9)
    void a_held_identity_is_resumed_and_its_command_then_succeeds() {
        needsTheBrowser();
        pages.open("/identities");
        var row = pages.driver().findElement(By.xpath("//tr[td[contains(., '" + revoked + "')]]"));
        assertThat(row.getText()).contains("revoked-push").contains("401");
        pages.screenshot("identities");

        pages.follow(row.findElement(By.xpath(".//button[.='Resume']")));
        assertThat(pages.text("p.flash")).contains("is resumed");
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(herald.status("revoked-push")));
        assertThat(herald.string("SELECT resumed_by FROM identity_holds WHERE routing_key = ?", revoked))
                .isEqualTo("console:alice");
    }

    @Test
    @Order(10)
    void a_campaign_s_progress_is_watched_until_it_reaches_100_percent_with_its_referral_curve() {
        needsTheBrowser();
        herald.sandbox().setFaults(Faults.NONE.withLatency(20, 0));
        var users = IntStream.range(0, 300).mapToObj(i -> token()).toList();
        herald.send(campaign("spring-part-1", "spring", 0, users, "Spring sale"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> herald.string("SELECT status FROM campaigns WHERE campaign_id = 'spring'") != null);

        pages.open("/campaign?id=spring");
        pages.screenshot("campaign-in-progress");
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(pages.text("p.summary")).contains("100 % of 300 recipients ended"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            pages.open("/campaign?id=spring");
            assertThat(pages.driver().findElements(By.cssSelector("figure svg .dots circle")))
                    .hasSizeGreaterThanOrEqualTo(2);
        });
        assertThat(pages.section("Message")).contains("Spring sale");
        assertThat(pages.rows("Short URLs")).isNotEmpty();
        pages.screenshot("campaign");

        pages.open("/campaigns");
        assertThat(pages.rows("The latest campaigns"))
                .extracting(WebElement::getText)
                .anyMatch(r -> r.startsWith("spring"));
        pages.screenshot("campaigns");
    }

    @Test
    @Order(11)
    void a_campaign_is_cancelled_after_a_confirmation() {
        needsTheBrowser();
        pages.open("/campaign?id=held-campaign");
        pages.click("Cancel this campaign…");
        assertThat(pages.heading()).isEqualTo("Cancel campaign held-campaign?");
        assertThat(herald.string("SELECT status FROM campaigns WHERE campaign_id = 'held-campaign'"))
                .as("asking changes nothing")
                .isEqualTo("active");
        pages.screenshot("campaign-cancel-confirmation");

        pages.click("Yes, cancel campaign held-campaign");
        assertThat(pages.text("p.flash")).isEqualTo("Campaign held-campaign is cancelled.");
        assertThat(herald.string("SELECT status FROM campaigns WHERE campaign_id = 'held-campaign'"))
                .isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                herald.count(
                                        "SELECT count(*) FROM commands WHERE campaign_id = 'held-campaign' AND status IN ('pending', 'in_flight')"))
                        .isZero());
    }
}
