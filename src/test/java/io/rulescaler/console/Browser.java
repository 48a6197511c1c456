package io.rulescaler.console;

import io.rulescaler.testing.RealParts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through chromium-driver, one per test class, with a fresh
 * profile: page helpers the console tests share (sign in, wait, screenshot, console log).
 */
final class Browser implements AutoCloseable {

    /** Where the screenshots go; four of them are copied to docs/images. */
    static final Path SHOTS = Path.of("target/console-screenshots");

    final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private Browser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** Starts Chromium (skipped with the package to install when it is missing, required under CI). */
    static Browser start(String base) {
        Path chromium = RealParts.require("chromium", "chromium");
        Path chromedriver = RealParts.require("chromedriver", "chromium-driver");
        try {
            Path profile = Files.createTempDirectory("rulescaler-chromium-");
            ChromeOptions o = new ChromeOptions();
            o.setBinary(chromium.toString());
            o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile, "--window-size=1280,800", "--hide-scrollbars=false");
            o.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
            ChromeDriver d = new ChromeDriver(service, o);
            d.manage().timeouts().implicitlyWait(Duration.ZERO);
            Files.createDirectories(SHOTS);
            return new Browser(d, profile, base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the console at {@code hash} (e.g. "#/rules"), a fresh page load. */
    void open(String hash) {
        driver.get("about:blank");
        driver.get(base + "/" + hash);
        waitFor(By.cssSelector("#sign-in:not([hidden]), #who:not([hidden])"));
    }

    /** Signs in with a token (remembered or not) and waits until the header shows the role. */
    void signIn(String token, boolean remember) {
        WebElement field = waitFor(By.id("token"));
        field.clear();
        field.sendKeys(token);
        WebElement box = driver.findElement(By.id("remember"));
        if (box.isSelected() != remember) {
            box.click();
        }
        driver.findElement(By.id("sign-in-button")).click();
        waitFor(By.cssSelector("#who:not([hidden])"));
    }

    /** Navigates inside the page (no reload). */
    void go(String hash) {
        js("location.hash = arguments[0]", hash);
    }

    WebElement waitFor(By by) {
        return waitFor(by, Duration.ofSeconds(30));
    }

    WebElement waitFor(By by, Duration max) {
        try {
            return new WebDriverWait(driver, max).until(ExpectedConditions.visibilityOfElementLocated(by));
        } catch (TimeoutException e) {
            throw new AssertionError(by + " did not show within " + max + "; " + state(), e);
        }
    }

    void waitUntil(Duration max, java.util.function.Supplier<Boolean> condition) {
        try {
            new WebDriverWait(driver, max).until(d -> condition.get());
        } catch (TimeoutException e) {
            throw new AssertionError("condition not met within " + max + "; " + state(), e);
        }
    }

    /** What the page shows and what its console said, for a failing test's message. */
    String state() {
        String text = String.valueOf(js("return document.body.innerText")).replaceAll("\\s+", " ");
        return "page " + driver.getCurrentUrl() + " shows: " + text.substring(0, Math.min(1500, text.length()))
                + " | console: " + driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Presses the dialog's Confirm button. */
    void confirm() {
        waitFor(By.id("confirm-yes")).click();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Whether the page itself scrolls sideways (inner scroll boxes, such as a wide table's, do not count). */
    boolean scrollsSideways() {
        Object r = js("const e = document.documentElement; return e.scrollWidth > e.clientWidth;");
        return Boolean.TRUE.equals(r);
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves a screenshot of the window as target/console-screenshots/{name}.png. */
    Path screenshot(String name) {
        Path to = SHOTS.resolve(name + ".png");
        try {
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Browser console entries at SEVERE since the last call. */
    List<String> severeLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::toString).toList();
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
