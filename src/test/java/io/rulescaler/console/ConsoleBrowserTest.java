package io.rulescaler.console;

import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.testing.Api;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real Chromium against the running service: sign-in and role hiding, a scale
 * through the page followed live to the end, the guard's refusal in words, the capacity chart,
 * the rule editor, and every page free of console errors and sideways scrolling at phone width.
 */
@QuarkusTest
class ConsoleBrowserTest {

    @TestHTTPResource("/")
    URL root;

    private static Browser browser;

    @BeforeEach
    void browser() {
        if (browser == null) {
            browser = Browser.start(root.toString());
        }
        browser.size(1280, 800);
        browser.severeLog();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void signInShowsTheRoleAndHidesWhatTheRoleMayNotDo() {
        String c = ConsoleFixtures.unique("cview");
        ConsoleFixtures.cluster(c, 3, null);

        browser.open("#/clusters/" + c);
        browser.screenshot("sign-in");
        browser.signIn(ConsoleFixtures.token("viewer"), false);
        assertEquals("viewer", browser.driver.findElement(By.id("who-role")).getText());
        browser.waitFor(By.cssSelector("#nodes"));
        browser.waitUntil(Duration.ofSeconds(30), () -> !browser.driver.findElement(By.id("why")).getText().contains("loading"));
        assertFalse(browser.driver.findElement(By.id("scale-button")).isDisplayed(), "a viewer sees no scale button");
        assertFalse(browser.driver.findElement(By.id("pause-button")).isDisplayed());

        // not remembered: a reload asks again
        browser.open("#/");
        assertTrue(browser.driver.findElement(By.id("sign-in")).isDisplayed());

        browser.signIn(ConsoleFixtures.token("operator"), true);
        assertEquals("operator", browser.driver.findElement(By.id("who-role")).getText());
        browser.go("#/clusters/" + c);
        assertTrue(browser.waitFor(By.id("scale-button")).isDisplayed(), "an operator sees the scale button");
        assertFalse(browser.driver.findElement(By.id("scale-force")).isDisplayed(), "force is for admins");
        // keyboard: Tab from the top of the page reaches the scale button
        browser.js("document.activeElement.blur(); window.scrollTo(0, 0)");
        boolean reached = false;
        for (int i = 0; i < 40 && !reached; i++) {
            browser.driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
            reached = "scale-button".equals(browser.js("return document.activeElement.id"));
        }
        assertTrue(reached, "the scale button is reachable with Tab");

        // remembered: a reload keeps the operator signed in
        browser.open("#/clusters/" + c);
        assertEquals("operator", browser.waitFor(By.id("who-role")).getText());
        browser.driver.findElement(By.id("sign-out")).click();
        assertTrue(browser.waitFor(By.id("sign-in")).isDisplayed());
        assertEquals(null, browser.js("return localStorage.getItem('rulescaler.token')"));
    }

    @Test
    void aScaleThroughThePageRunsToDoneWithoutReloadAndTheGuardsRefusalIsShownInWords() {
        String c = ConsoleFixtures.unique("cscale");
        ConsoleFixtures.cluster(c, 5, "guard: {scaleOutCooldownSeconds: 3600}\n");
        browser.open("#/clusters/" + c);
        browser.signIn(ConsoleFixtures.token("operator"), false);
        browser.js("window.__sameDocument = true");

        scale("target", 2, "console test");
        WebElement answer = browser.waitFor(By.cssSelector("#scale-answer .ok"));
        assertTrue(answer.getText().startsWith("Accepted: 0 → 2"), answer.getText());

        WebElement op = browser.waitFor(By.cssSelector("#operations li[data-state='succeeded']"), Duration.ofSeconds(90));
        String progress = op.findElement(By.cssSelector(".progress-text")).getText();
        assertTrue(progress.matches("(\\d+) of \\1 tasks"), progress);
        assertEquals(Boolean.TRUE, browser.js("return window.__sameDocument === true"), "no reload happened");
        // what following an operation cost the page: printed for docs/console.md, never asserted
        System.out.println("console polling while the operation ran: " + browser.js(
                "const d = performance.getEntriesByType('resource').filter(e => /\\/api\\/v1\\/operations\\/\\d+$/.test(e.name))"
                + ".map(e => e.duration).sort((a, b) => a - b);"
                + " return d.length + ' GETs of the operation, median ' + Math.round(d[d.length >> 1]) + ' ms, max '"
                + " + Math.round(d[d.length - 1]) + ' ms';"));
        browser.waitUntil(Duration.ofSeconds(30),
                () -> browser.driver.findElements(By.cssSelector("#nodes tr[data-node]")).size() == 2);
        browser.size(1280, 1250);
        browser.screenshot("cluster");
        browser.size(1280, 800);

        // right after a scale-out, the cooldown refuses another: the guard's words, not a status code
        scale("delta", 1, "one more");
        WebElement refused = browser.waitFor(By.cssSelector("#scale-answer .refused"));
        String why = as(Api.ADMIN_TOKEN).get("/api/v1/clusters/" + c + "/decisions?size=1").then().statusCode(200)
                .extract().path("[0].why");
        assertTrue(refused.getText().startsWith("Refused by the guard: "), refused.getText());
        assertTrue(refused.getText().contains(why), refused.getText() + " / " + why);
        assertTrue(why.contains("cooldown"), why);
    }

    @Test
    void theCapacityChartHasOneMarkerPerDecisionInTheWindow() {
        String c = ConsoleFixtures.unique("cchart");
        ConsoleFixtures.cluster(c, 4, "guard: {scaleOutCooldownSeconds: 3600}\ndryRun: true\n");
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("target", 2, "reason", "first"),
                Map.of("delta", 1, "reason", "second"), Map.of("target", 9, "reason", "third"))) {
            asAdmin().contentType("application/json").body(body).post("/api/v1/clusters/" + c + "/scale");
        }
        int inWindow = asAdmin().get("/api/v1/clusters/" + c + "/capacity?window=1h").then().statusCode(200)
                .extract().path("decisions.size()");
        assertEquals(3, inWindow);
        // a chain run by hand (recorded, not started: the cluster is in dry run) is a diamond along the top
        asAdmin().contentType("application/json").body(Map.of("reason", "paging by hand")).post("/api/v1/clusters/" + c + "/chains/notify/runs");
        assertEquals(1, (int) asAdmin().get("/api/v1/clusters/" + c + "/capacity?window=1h").then().extract().path("chainRuns.size()"));

        browser.open("#/clusters/" + c);
        browser.signIn(ConsoleFixtures.token("viewer"), false);
        browser.waitFor(By.cssSelector("#capacity-chart"));
        // read in one script: the chart is redrawn while the page refreshes
        assertEquals((long) inWindow, browser.js("return document.querySelectorAll('#capacity-chart circle.marker').length"));
        assertEquals((long) inWindow, browser.js("return document.querySelectorAll('#decisions li.decision').length"));
        Map<String, Object> last = asAdmin().get("/api/v1/clusters/" + c + "/decisions?size=1").then().statusCode(200)
                .extract().path("[0]");
        String hover = (String) browser.js("return document.querySelector('#capacity-chart circle[data-decision=\"' + arguments[0]"
                + " + '\"] title').textContent", String.valueOf(last.get("id")));
        assertTrue(hover.contains(last.get("rule") + ": " + last.get("verdict")) && hover.contains((String) last.get("why")), hover);
        String chainHover = (String) browser.js("return document.querySelector('#capacity-chart path.chain-marker title').textContent");
        assertTrue(chainHover.contains("chain notify (by hand): accepted, dry-run") && chainHover.contains("reason: paging by hand"), chainHover);

        browser.driver.findElement(By.cssSelector("button[data-window='7d']")).click();
        browser.waitUntil(Duration.ofSeconds(30), () -> String.valueOf(
                browser.js("return document.getElementById('capacity-chart').getAttribute('aria-label')")).contains("7d"));
        assertEquals((long) inWindow, browser.js("return document.querySelectorAll('#capacity-chart circle.marker').length"));
    }

    @Test
    void everyPageIsFreeOfConsoleErrorsAndFitsAPhoneWithoutSidewaysScrolling() {
        String c = ConsoleFixtures.unique("cphone");
        ConsoleFixtures.cluster(c, 3, null);
        asAdmin().contentType("application/json").body(Map.of("target", 1, "reason", "a decision to show"))
                .post("/api/v1/clusters/" + c + "/scale");
        browser.open("#/");
        browser.signIn(Api.ADMIN_TOKEN, false);
        List<String> problems = new ArrayList<>();
        for (int width : new int[] {1280, 390}) {
            browser.size(width, width == 390 ? 844 : 800);
            for (String page : List.of("#/", "#/clusters/" + c, "#/rules")) {
                browser.go(page);
                browser.waitUntil(Duration.ofSeconds(30), () -> browser.driver.findElements(By.xpath("//*[text()='loading…']")).isEmpty());
                browser.js("return new Promise(r => setTimeout(r, 300))");
                String name = (page.equals("#/") ? "overview" : page.startsWith("#/clusters") ? "cluster-page" : "rules") + "-" + width;
                browser.screenshot(name);
                if (browser.scrollsSideways()) {
                    problems.add(name + " scrolls sideways: " + browser.js("return document.documentElement.scrollWidth"));
                }
                browser.severeLog().forEach(e -> problems.add(name + ": " + e));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void aBrokenDrlShowsItsErrorOnItsLineAndTheOldRulesKeepDeciding() {
        String set = ConsoleFixtures.unique("cons").replace('-', '_');
        String file = set + "/load.drl";
        String good = """
                package io.rulescaler.rules.console;

                import io.rulescaler.capacity.fact.*;

                rule "console load above 10"
                when
                    $c : ClusterView()
                    Sample( metric == "console_load", value > 10.0 )
                then
                    insert( ScaleDecision.target( $c.getName(), 3, "console_load above 10" ) );
                end
                """;
        asAdmin().contentType("text/plain").body(good).put("/api/v1/rules/" + file).then().statusCode(200);
        String c = ConsoleFixtures.unique("crules");
        ConsoleFixtures.cluster(c, 4, "ruleSet: " + set + "\ndryRun: true\n");

        browser.open("#/rules");
        browser.signIn(Api.ADMIN_TOKEN, false);
        browser.waitFor(By.cssSelector("[data-set='" + set + "'] button")).click();
        browser.waitUntil(Duration.ofSeconds(30), () -> browser.driver.findElement(By.id("rule-file")).getAttribute("value").equals(file)
                && browser.driver.findElement(By.id("drl")).getAttribute("value").contains("console load above 10"));
        // line 8 gets one closing parenthesis too many
        browser.js("const a = document.getElementById('drl'); a.value = a.value.replace('value > 10.0 )', 'value > 10.0 ) )');"
                + " a.dispatchEvent(new Event('input'));");
        browser.driver.findElement(By.id("check-button")).click();
        WebElement error = browser.waitFor(By.cssSelector("#rule-errors li"));
        assertEquals("8", error.getAttribute("data-line"), error.getText());
        assertTrue(error.getText().startsWith(file + ":8:"), error.getText());
        assertEquals("ln err", browser.driver.findElement(By.cssSelector("#gutter [data-line='8']")).getAttribute("class"));
        assertEquals(List.of(), browser.driver.findElements(By.cssSelector("#gutter .err:not([data-line='8'])")));
        browser.screenshot("rules-error");

        browser.driver.findElement(By.id("save-button")).click();
        browser.confirm();
        browser.waitUntil(Duration.ofSeconds(30), () -> browser.driver.findElement(By.id("rule-result")).getText()
                .contains("nothing was written and the previous rules keep deciding"));
        assertEquals("8", browser.driver.findElement(By.cssSelector("#rule-errors li")).getAttribute("data-line"));
        assertEquals(good, asAdmin().get("/api/v1/rules/" + file).then().statusCode(200).extract().asString());

        // the previous rules still decide
        String webhook = ConsoleFixtures.token("webhook");
        as(webhook).contentType("application/json")
                .body(Map.of("samples", List.of(Map.of("cluster", c, "metric", "console_load", "value", 42.0))))
                .post("/api/v1/samples").then().statusCode(202);
        browser.waitUntil(Duration.ofSeconds(30), () -> asAdmin().get("/api/v1/clusters/" + c + "/decisions").then()
                .extract().jsonPath().getList("rule").contains("console load above 10"));
    }

    private void scale(String mode, int n, String reason) {
        new Select(browser.waitFor(By.id("scale-mode"))).selectByValue(mode);
        WebElement amount = browser.driver.findElement(By.id("scale-amount"));
        amount.clear();
        amount.sendKeys(Integer.toString(n));
        WebElement why = browser.driver.findElement(By.id("scale-reason"));
        why.clear();
        why.sendKeys(reason);
        browser.driver.findElement(By.id("scale-button")).click();
        browser.confirm();
    }
}
