package vn.quangninh.cphub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver (packages {@code chromium} and
 * {@code chromium-driver}, installed by {@code .ci/run}), the way a person meets the console: a login form,
 * pages, clicks. Records every HTTP answer the page received (Chromium's performance log), so a test can
 * say that nothing the console asked for was refused. Nothing is downloaded: no Selenium Manager.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getProperty("cphub.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("cphub.chromedriver", "/usr/bin/chromedriver"));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer the page received. */
    public record Answer(int status, String method, String url) {
    }

    private final ChromeDriver driver;
    private final Path profile;
    private final List<Answer> answers = new ArrayList<>();

    public Browser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's Chromium and its driver: "
                    + "apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        profile = Files.createTempDirectory("cphub-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the flags that keep Chromium from reaching out to Google's hosts, which this machine refuses
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.PERFORMANCE, "ALL", LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    public WebDriver driver() {
        return driver;
    }

    /** Signs in on the hub's login page and waits for Hawtio's shell. */
    public void signIn(String base, String user, String password) {
        driver.get(base + "/actuator/hawtio/");
        submitLogin(user, password);
        waitForText("Hawtio Management Console");
    }

    /** Fills in and sends the hub's login form, which the page shown now is. */
    public void submitLogin(String user, String password) {
        waitFor(By.name("username")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
    }

    public WebElement waitFor(By by) {
        return until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits for an element that is in the page, drawn or not (Selenium's visibility test misses React Flow's nodes). */
    public WebElement waitForPresent(By by) {
        return until(ExpectedConditions.presenceOfElementLocated(by));
    }

    public void waitForText(String text) {
        until(d -> pageText().contains(text));
    }

    /** Waits up to a minute; on a timeout leaves a screenshot of what the page showed (target/browser/timeout-*). */
    private <T> T until(java.util.function.Function<WebDriver, T> condition) {
        try {
            // a page that navigates or re-renders while it is read replaces its elements: read again
            return new WebDriverWait(driver, Duration.ofSeconds(60))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            try {
                screenshot("timeout-" + System.currentTimeMillis());
            } catch (IOException | RuntimeException ignored) {
                // the timeout is what matters
            }
            throw e;
        }
    }

    public String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Saves a screenshot under target/browser/. */
    public Path screenshot(String name) throws IOException {
        Path file = Path.of("target", "browser", name + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** Every HTTP answer the page has received since the browser started. */
    public List<Answer> answers() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = JSON.readTree(entry.getMessage()).path("message");
                if ("Network.responseReceived".equals(message.path("method").asText())) {
                    JsonNode response = message.path("params").path("response");
                    answers.add(new Answer(response.path("status").asInt(), response.path("requestHeaders").path(":method")
                            .asText(message.path("params").path("type").asText()), response.path("url").asText()));
                }
            } catch (IOException notJson) {
                // not an event
            }
        }
        return List.copyOf(answers);
    }

    /** The answers with status 400 or more. */
    public List<Answer> refusals() {
        return answers().stream().filter(a -> a.status() >= 400).toList();
    }

    /** Errors the page's scripts reported on the browser console. */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
