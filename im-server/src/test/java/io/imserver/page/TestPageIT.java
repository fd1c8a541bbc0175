package io.imserver.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The seed-compatible debug page ({@code /seed.html}) in real headless Chromium: two users sign in from the page, chat with each other and see
 * their conversation list. Needs Debian's {@code chromium} and {@code chromium-driver} packages; without them the
 * test fails (it does not skip).
 */
class TestPageIT {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ALICE = "Alice 爱丽丝";
    private static final String BOB = "Bob 鲍勃";

    static TestServer server;
    static final List<WebDriver> drivers = new ArrayList<>();
    static final List<Path> profiles = new ArrayList<>();
    static WebDriver page1;
    static WebDriver page2;

    @BeforeAll
    static void start() {
        for (var binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!new File(binary).canExecute()) {
                throw new AssertionError(binary + " is missing: the page test needs real Chromium. Install it with"
                        + " 'apt-get install -y chromium chromium-driver'");
            }
        }
        server = TestServer.start();
        var admin = server.admin();
        admin.putApp(1, "app one");
        admin.putUser(1, 1, ALICE);
        admin.putUser(1, 2, BOB);
        page1 = openPage(1, admin.token(1, 1, 1, 3600));
        page2 = openPage(2, admin.token(1, 2, 1, 3600));
    }

    /** A fresh headless Chromium (own profile) on the debug page, with the query of the URLs the server's --demo prints. */
    private static WebDriver openPage(long userId, String token) {
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        profiles.add(profile);
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        var driver = new ChromeDriver(service, options);
        drivers.add(driver);
        driver.get(server.pageUrl() + "seed.html?app=1&user=" + userId + "&device=1&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        return driver;
    }

    @AfterAll
    static void stop() {
        for (var driver : drivers) {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                // best effort: the next driver must still be quit
            }
        }
        if (server != null) {
            server.close();
        }
        for (var profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp dir is harmless
            }
        }
    }

    private static FluentWait<WebDriver> waiting(WebDriver driver) {
        // the conversation table is re-rendered on every list reply: elements may go stale under us
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class);
    }

    private static void awaitSignedIn(WebDriver driver) {
        var status = By.id("status");
        waiting(driver).withMessage(() -> "page not signed in; status: " + driver.findElement(status).getText()
                        + "; log: " + driver.findElement(By.id("log")).getText())
                .until(ExpectedConditions.attributeToBe(status, "data-state", "signed-in"));
        assertThat(driver.findElement(status).getText()).contains("signed in");
    }

    private static void sendText(WebDriver driver, long receiverId, String text) {
        new Select(driver.findElement(By.id("receiverType"))).selectByValue("1");
        var id = driver.findElement(By.id("receiverId"));
        id.clear();
        id.sendKeys(Long.toString(receiverId));
        driver.findElement(By.id("text")).sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    /** Waits until a received message with this text is on the page and returns it. */
    private static WebElement awaitReceived(WebDriver driver, String text) {
        return waiting(driver).withMessage(() -> "message '" + text + "' not shown; messages: "
                        + driver.findElement(By.id("messages")).getText())
                .until(d -> d.findElements(By.cssSelector("#messages .message.received")).stream()
                        .filter(m -> m.getText().contains(text)).findFirst().orElse(null));
    }

    private static List<String> errorLines(WebDriver driver) {
        return driver.findElements(By.cssSelector("#log .log-entry.error")).stream().map(WebElement::getText).toList();
    }

    @Test
    void twoUsersChatThroughThePage() throws IOException {
        awaitSignedIn(page1);
        awaitSignedIn(page2);

        var suffix = UUID.randomUUID().toString().substring(0, 8);
        var hello = "hello from 1 " + suffix;
        sendText(page1, 2, hello);
        var received = awaitReceived(page2, hello);
        assertThat(received.getText()).contains(ALICE).contains("#1");

        var reply = "reply from 2 " + suffix;
        sendText(page2, 1, reply);
        assertThat(awaitReceived(page1, reply).getText()).contains(BOB).contains("#2");
        // the sender sees its own message as sent
        waiting(page1).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#messages .message.sent"), hello));

        // user 2's conversation list has the conversation with user 1, named by user 1's nickname
        page2.findElement(By.id("listConversations")).click();
        var cells = waiting(page2).withMessage(() -> "no conversation with " + ALICE + "; list: "
                        + page2.findElement(By.id("conversations")).getText())
                .until(d -> d.findElements(By.cssSelector("#conversations tr.conversation")).stream()
                        .map(r -> List.of(r.getDomAttribute("data-id"),
                                r.findElement(By.cssSelector("td.username")).getText(),
                                r.findElement(By.cssSelector("td.type")).getText(),
                                r.findElement(By.cssSelector("td.preview")).getText()))
                        .filter(c -> c.get(1).contains(ALICE)).findFirst().orElse(null));
        assertThat(cells.get(1)).isEqualTo(ALICE + " (#1)");
        assertThat(cells.get(2)).isEqualTo("user");
        assertThat(cells.get(3)).isEqualTo(reply);

        // clicking it syncs the conversation: both messages, and the send panel now addresses user 1
        var rowOfAlice = By.cssSelector("#conversations tr.conversation[data-id='" + cells.get(0) + "']");
        waiting(page2).until(d -> {
            d.findElement(rowOfAlice).click();
            return true;
        });
        waiting(page2).until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), hello));
        waiting(page2).until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), reply));
        assertThat(page2.findElement(By.id("receiverId")).getDomProperty("value")).isEqualTo("1");

        assertThat(errorLines(page1)).as("errors in user 1's reply log").isEmpty();
        assertThat(errorLines(page2)).as("errors in user 2's reply log").isEmpty();

        var shot = ((TakesScreenshot) page2).getScreenshotAs(OutputType.FILE);
        var target = Path.of("target", "page-screenshot.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aRefusedSignInIsShown_andNotRetried() {
        var page = openPage(1, "not-a-token");
        var status = By.id("status");
        waiting(page).until(ExpectedConditions.attributeToBe(status, "data-state", "error"));
        assertThat(page.findElement(status).getText()).startsWith("sign-in refused: ");
        assertThat(errorLines(page)).anyMatch(line -> line.contains(" sign "));
        // the server closes the socket after a refused sign; the page says so and stays disconnected
        waiting(page).withMessage(() -> "socket not closed; log: " + page.findElement(By.id("log")).getText())
                .until(d -> errorLines(d).stream().anyMatch(line -> line.contains("WebSocket closed")));
        assertThat(page.findElement(status).getText()).doesNotContain("reconnecting");
    }
}
