package io.imserver.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.Chat;
import io.imserver.testing.Browsers;
import io.imserver.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web chat app at {@code /} in real headless Chromium: Alice and Bob each in a browser of their own, Carol as a
 * protocol client. Needs Debian's {@code chromium} and {@code chromium-driver}; without them the test fails (it does
 * not skip). Screenshots of the main states go to {@code target/web-app-screenshots/}. The tests share the two
 * browsers and run in order (each reloads both pages first).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAppIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ALICE = "Alice 爱丽丝";
    private static final String BOB = "Bob 鲍勃";
    private static final String CAROL = "Carol 卡罗尔";
    private static final Path SHOTS = Path.of("target", "web-app-screenshots");

    static TestServer server;
    static Browsers browsers;
    static WebDriver alice;
    static WebDriver bob;

    @BeforeAll
    static void start() {
        browsers = new Browsers();
        // a fixed WebSocket port, so that the pages find the server again after restart()
        int wsPort = freePort();
        server = TestServer.start(b -> b.wsPort(wsPort));
        var admin = server.admin();
        admin.putApp(1, "app one");
        admin.putUser(1, 1, ALICE);
        admin.putUser(1, 2, BOB);
        admin.putUser(1, 3, CAROL);
        alice = browser();
        bob = browser();
        alice.get(appUrl(1, admin.token(1, 1, 1, 3600)));
        bob.get(appUrl(2, admin.token(1, 2, 1, 3600)));
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app's URL as the server's --demo prints it. */
    private static String appUrl(long userId, String token) {
        return server.pageUrl() + "?app=1&user=" + userId + "&device=1&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** A fresh headless Chromium with its own profile. */
    private static WebDriver browser() {
        return browsers.open(1100, 700);
    }

    @AfterAll
    static void stop() {
        if (browsers != null) {
            browsers.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void reloadBothPages() {
        for (var driver : List.of(alice, bob)) {
            driver.navigate().refresh();
            awaitConnected(driver);
        }
    }

    // ---- steps ----

    private static FluentWait<WebDriver> waiting(WebDriver driver) {
        // the list and the messages are re-rendered on every change: elements may go stale under us
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class);
    }

    private static String text(WebDriver driver, String css) {
        var found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "(no " + css + ")" : found.getFirst().getText();
    }

    private static void awaitConnected(WebDriver driver) {
        waiting(driver).withMessage(() -> "not connected: " + text(driver, "#connection") + "; notice: "
                        + text(driver, "#notice"))
                .until(d -> "connected".equals(d.findElement(By.id("connection")).getDomAttribute("data-state")));
        assertThat(driver.findElement(By.id("connection")).getText()).isEqualTo("Online");
    }

    /** The conversation list row named so, once it is there. */
    private static WebElement row(WebDriver driver, String name) {
        return waiting(driver).withMessage(() -> "no conversation '" + name + "'; list: " + text(driver, "#conversations"))
                .until(d -> d.findElements(By.cssSelector("#conversations li.conversation")).stream()
                        .filter(r -> r.findElement(By.cssSelector(".name")).getText().equals(name))
                        .findFirst().orElse(null));
    }

    private static void awaitUnread(WebDriver driver, String name, int unread) {
        waiting(driver).withMessage(() -> "unread of '" + name + "' is not " + unread + "; list: "
                        + text(driver, "#conversations"))
                .until(d -> {
                    var r = row(d, name);
                    var badges = r.findElements(By.cssSelector(".badge"));
                    return String.valueOf(unread).equals(r.getDomAttribute("data-unread"))
                            && (unread == 0 ? badges.isEmpty()
                                    : badges.size() == 1 && badges.getFirst().getText().equals(String.valueOf(unread)));
                });
    }

    private static void open(WebDriver driver, String name) {
        waiting(driver).until(d -> {
            row(d, name).click();
            return true;
        });
        awaitTitle(driver, name);
    }

    private static void awaitTitle(WebDriver driver, String name) {
        waiting(driver).withMessage(() -> "conversation '" + name + "' not open; title: " + text(driver, "#chat-title"))
                .until(d -> d.findElement(By.id("chat-title")).getText().equals(name)
                        && d.findElement(By.id("composer")).isDisplayed());
    }

    private static void startChatWith(WebDriver driver, long userId, String name) {
        driver.findElement(By.id("new-chat-toggle")).click();
        driver.findElement(By.id("new-chat-user")).sendKeys(Long.toString(userId));
        driver.findElement(By.id("new-chat-submit")).click();
        awaitTitle(driver, name);
    }

    private static void send(WebDriver driver, String kind, String value) {
        new Select(driver.findElement(By.id("message-kind"))).selectByValue(kind);
        driver.findElement(By.id("message-input")).sendKeys(value);
        driver.findElement(By.id("send")).click();
    }

    /** The message bubble holding this text, once it is shown. */
    private static WebElement message(WebDriver driver, String text) {
        return waiting(driver).withMessage(() -> "message '" + text + "' not shown; messages: " + text(driver, "#messages")
                        + "; notice: " + text(driver, "#notice"))
                .until(d -> d.findElements(By.cssSelector("#messages li.message")).stream()
                        .filter(m -> m.getText().contains(text)).findFirst().orElse(null));
    }

    /** The sender shown on the message with {@code text}, found and read in one wait (the list may re-render). */
    private static String senderOf(WebDriver driver, String text) {
        return waiting(driver).until(d -> message(d, text).findElement(By.cssSelector(".sender")).getText());
    }

    private static void awaitMessageText(WebDriver driver, String text, String expected) {
        waiting(driver).withMessage(() -> "message '" + text + "' does not show '" + expected + "': "
                        + message(driver, text).getText())
                .until(d -> message(d, text).getText().contains(expected));
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        var shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SHOTS);
        Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String unique(String text) {
        return text + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    // ---- behaviour ----

    @Test
    @Order(0)
    void theServerServesTheAppAtTheRoot_andTheDebugPageAtSeedHtml() throws Exception {
        var http = HttpClient.newHttpClient();
        var expected = Map.of(
                "/", "text/html; charset=utf-8",
                "/app.js", "text/javascript; charset=utf-8",
                "/app.css", "text/css; charset=utf-8",
                "/seed.html", "text/html; charset=utf-8",
                "/seed.js", "text/javascript; charset=utf-8",
                "/im.proto", "text/plain; charset=utf-8",
                "/protobuf.min.js", "text/javascript; charset=utf-8");
        for (var entry : expected.entrySet()) {
            var response = http.send(HttpRequest.newBuilder(URI.create(server.pageUrl() + entry.getKey().substring(1)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).as(entry.getKey()).contains(entry.getValue());
        }
        var page = http.send(HttpRequest.newBuilder(URI.create(server.pageUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("<script src=\"/app.js\" defer></script>").contains("/app.css");
        var missing = http.send(HttpRequest.newBuilder(URI.create(server.pageUrl() + "app/app.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(1)
    void directChat_unreadBadgeRisesAndClears_andTheSenderSeesRead() throws IOException {
        startChatWith(alice, 2, BOB);
        var first = unique("Hi Bob <b>not bold</b>");
        send(alice, "text", first);
        awaitMessageText(alice, first, "Sent");
        awaitUnread(bob, ALICE, 1);
        var second = unique("Lunch at noon?");
        send(alice, "text", second);
        awaitUnread(bob, ALICE, 2);
        assertThat(bob.getTitle()).isEqualTo("(2) IM chat");
        assertThat(row(bob, ALICE).findElement(By.cssSelector(".preview")).getText()).isEqualTo(second);
        screenshot(bob, "01-unread-badge");

        open(bob, ALICE);
        awaitUnread(bob, ALICE, 0);
        // text is shown as text, never parsed as HTML
        assertThat(message(bob, first).findElement(By.cssSelector(".text")).getText()).isEqualTo(first);
        assertThat(message(bob, first).findElements(By.tagName("b"))).isEmpty();
        assertThat(bob.getTitle()).isEqualTo("IM chat");

        // Bob read both: Alice's messages turn from "Sent" to "Read" by the receipt push
        awaitMessageText(alice, first, "Read");
        awaitMessageText(alice, second, "Read");

        var reply = unique("Noon works, see you");
        send(bob, "text", reply);
        assertThat(message(alice, reply).getDomAttribute("class")).contains("other");
        // Bob's message ends his typing notice
        waiting(alice).until(d -> !d.findElement(By.id("typing")).isDisplayed());
        awaitUnread(alice, BOB, 0);
        awaitMessageText(alice, second, "Read");
        screenshot(alice, "02-read-receipt");
    }

    @Test
    @Order(2)
    void typingIsShownToThePeer_andGoesAway() throws IOException {
        startChatWith(alice, 2, BOB);
        open(bob, ALICE);
        bob.findElement(By.id("message-input")).sendKeys("I am typi");
        waiting(alice).withMessage(() -> "no typing shown; header: " + text(alice, "#chat-header"))
                .until(d -> d.findElement(By.id("typing")).isDisplayed());
        assertThat(alice.findElement(By.id("typing")).getText()).isEqualTo(BOB + " is typing…");
        screenshot(alice, "03-typing");
        // no more keys: the notice expires after a few seconds
        waiting(alice).until(d -> !d.findElement(By.id("typing")).isDisplayed());
    }

    @Test
    @Order(3)
    void aRecalledMessageIsReplacedOnBothSides() throws IOException {
        startChatWith(alice, 2, BOB);
        open(bob, ALICE);
        var oops = unique("Wrong chat, sorry");
        send(alice, "text", oops);
        message(bob, oops);
        message(alice, oops).findElement(By.cssSelector("button.recall")).click();
        waiting(alice).withMessage(() -> "not recalled for Alice: " + text(alice, "#messages"))
                .until(d -> d.findElements(By.cssSelector("#messages li.message.recalled")).stream()
                        .anyMatch(m -> m.getText().contains("You recalled a message")));
        waiting(bob).withMessage(() -> "not recalled for Bob: " + text(bob, "#messages"))
                .until(d -> d.findElements(By.cssSelector("#messages li.message.recalled")).stream()
                        .anyMatch(m -> m.getText().contains("This message was recalled")));
        assertThat(alice.findElement(By.id("messages")).getText()).doesNotContain(oops);
        assertThat(bob.findElement(By.id("messages")).getText()).doesNotContain(oops);
        screenshot(bob, "04-recalled");
    }

    @Test
    @Order(4)
    void aGroupOfThree_showsEveryonesMessagesInBothTabs() throws IOException {
        var name = unique("Trio");
        alice.findElement(By.id("new-group-toggle")).click();
        alice.findElement(By.id("group-name")).sendKeys(name);
        alice.findElement(By.id("group-members")).sendKeys("2,3");
        alice.findElement(By.id("new-group-submit")).click();
        awaitTitle(alice, name);
        long groupId = Long.parseLong(row(alice, name).getDomAttribute("data-peer-id"));

        var hello = unique("Hello both of you");
        send(alice, "text", hello);
        awaitUnread(bob, name, 1);
        open(bob, name);
        assertThat(senderOf(bob, hello)).isEqualTo(ALICE);
        var fromBob = unique("Hi from Bob");
        send(bob, "text", fromBob);
        assertThat(senderOf(alice, fromBob)).isEqualTo(BOB);
        // group receipts: Bob has read Alice's message, Carol not yet
        awaitMessageText(alice, hello, "Read by 1 of 2");

        try (var carol = Chat.signIn(server, 3, 1)) {
            var fromCarol = unique("Carol here too");
            Chat.sendToGroup(carol, groupId, fromCarol);
            assertThat(senderOf(alice, fromCarol)).isEqualTo(CAROL);
            assertThat(senderOf(bob, fromCarol)).isEqualTo(CAROL);
            // writing in the group marks it read for Carol too
            awaitMessageText(alice, hello, "Read by 2 of 2");
        }
        screenshot(bob, "05-group-chat");

        alice.findElement(By.id("members-button")).click();
        waiting(alice).until(d -> d.findElement(By.id("members-panel")).isDisplayed());
        waiting(alice).withMessage(() -> "members: " + text(alice, "#members-panel"))
                .until(d -> d.findElement(By.cssSelector("#members-panel .members-count")).getText().equals("3 members")
                        && d.findElements(By.cssSelector("#members-panel li.member")).size() == 3);
        assertThat(alice.findElement(By.cssSelector("#members-panel .members-list")).getText())
                .contains(ALICE).contains(BOB).contains(CAROL);
        screenshot(alice, "06-group-members");
    }

    @Test
    @Order(5)
    void imageAndFileUrlsAreSentAsLinks_andUnsafeUrlsAreRefused() {
        startChatWith(alice, 2, BOB);
        open(bob, ALICE);
        send(alice, "image", "https://example.invalid/cat.png");
        var image = waiting(bob).until(d -> d.findElements(By.cssSelector("#messages img.image")).stream()
                .filter(i -> "https://example.invalid/cat.png".equals(i.getDomAttribute("src"))).findFirst().orElse(null));
        assertThat(image).isNotNull();
        send(alice, "file", "https://example.invalid/files/report%202026.pdf");
        var file = message(bob, "report 2026.pdf").findElement(By.cssSelector("a.file"));
        assertThat(file.getDomAttribute("href")).isEqualTo("https://example.invalid/files/report%202026.pdf");

        send(alice, "file", "javascript:alert(1)");
        waiting(alice).until(d -> d.findElement(By.id("notice")).getText().equals("expected an http(s) URL"));
    }

    @Test
    @Order(6)
    void pinAndMute_changeTheConversationList() throws IOException {
        startChatWith(alice, 2, BOB);
        alice.findElement(By.id("pin-button")).click();
        waiting(alice).until(d -> row(d, BOB).getDomAttribute("class").contains("pinned")
                && d.findElement(By.id("pin-button")).getText().equals("Unpin"));
        waiting(alice).until(d -> d.findElements(By.cssSelector("#conversations li.conversation")).getFirst()
                .findElement(By.cssSelector(".name")).getText().equals(BOB));
        alice.findElement(By.id("mute-button")).click();
        waiting(alice).until(d -> row(d, BOB).getDomAttribute("class").contains("muted")
                && d.findElement(By.id("mute-button")).getText().equals("Unmute"));

        // with another conversation open, a new message counts on a grey badge and not in the title
        try (var carol = Chat.signIn(server, 3, 1)) {
            Chat.sendTo(carol, 1, unique("Carol says hi"));
        }
        open(alice, CAROL);
        open(bob, ALICE);
        send(bob, "text", unique("muted but counted"));
        waiting(alice).until(d -> !row(d, BOB).findElements(By.cssSelector(".badge.muted-badge")).isEmpty());
        assertThat(alice.getTitle()).isEqualTo("IM chat");
        screenshot(alice, "07-pinned-and-muted");
    }

    @Test
    @Order(7)
    void history_scrollsBackBySeq_toTheFirstMessage() {
        try (var carol = Chat.signIn(server, 3, 1)) {
            for (int i = 1; i <= 70; i++) {
                Chat.sendTo(carol, 2, "history line " + i);
            }
        }
        open(bob, CAROL);
        message(bob, "history line 70");
        var js = (JavascriptExecutor) bob;
        waiting(bob).withMessage(() -> "first message never paged in; shown: "
                        + bob.findElements(By.cssSelector("#messages li.message")).size())
                .until(d -> {
                    js.executeScript("document.getElementById('messages-scroll').scrollTop = 0;");
                    return d.findElements(By.cssSelector("#messages li.message")).stream()
                            .anyMatch(m -> m.getText().contains("history line 1\n") || m.getText().endsWith("history line 1"));
                });
        var seqs = bob.findElements(By.cssSelector("#messages li.message")).stream()
                .map(m -> Long.parseLong(m.getDomAttribute("data-seq"))).toList();
        assertThat(seqs).hasSize(70).isSorted().doesNotHaveDuplicates();
        assertThat(bob.findElement(By.id("history-state")).getText()).isEqualTo("Start of the conversation");
    }

    @Test
    @Order(8)
    void aSecondSignInOfTheSameDevice_isShownAsSignedInElsewhere() throws IOException {
        var second = browser();
        second.get(appUrl(2, server.admin().token(1, 2, 1, 3600)));
        awaitConnected(second);
        waiting(bob).withMessage(() -> "not kicked: " + text(bob, "#connection"))
                .until(d -> "kicked".equals(d.findElement(By.id("connection")).getDomAttribute("data-state")));
        assertThat(bob.findElement(By.id("connection")).getText()).isEqualTo("Signed in elsewhere");
        screenshot(bob, "08-signed-in-elsewhere");
        second.quit();
    }

    @Test
    @Order(9)
    void theSignInForm_showsARefusedTokenAndDoesNotRetry() throws IOException {
        var page = browser();
        page.get(server.pageUrl());
        waiting(page).until(d -> d.findElement(By.id("signin")).isDisplayed());
        page.findElement(By.id("signin-user")).sendKeys("1");
        page.findElement(By.id("signin-token")).sendKeys("not-a-token");
        screenshot(page, "00-sign-in");
        page.findElement(By.id("signin-submit")).click();
        waiting(page).withMessage(() -> "not refused: " + text(page, "#connection"))
                .until(d -> "refused".equals(d.findElement(By.id("connection")).getDomAttribute("data-state")));
        assertThat(page.findElement(By.id("connection")).getText()).startsWith("Sign-in refused: 401");
        assertThat(page.getCurrentUrl()).contains("user=1").contains("token=not-a-token");
    }

    @Test
    @Order(7)
    void aFriendRequestFromTheFriendsPanel_isAcceptedByThePeer_andBothListEachOther() throws IOException {
        var hello = unique("It's Alice");
        alice.findElement(By.id("add-friend-user")).sendKeys("2");
        alice.findElement(By.id("add-friend-text")).sendKeys(hello);
        alice.findElement(By.id("add-friend-submit")).click();

        // the request reaches Bob's page by push, with Accept and Refuse
        var request = waiting(bob).withMessage(() -> "no request from Alice: " + text(bob, "#friend-requests")
                        + "; notice: " + text(bob, "#notice"))
                .until(d -> d.findElements(By.cssSelector("#friend-requests li.friend-request")).stream()
                        .filter(r -> r.getText().contains(hello) && !r.findElements(By.cssSelector(".accept-request"))
                                .isEmpty()).findFirst().orElse(null));
        assertThat(request.getText()).contains(ALICE);
        screenshot(bob, "07-friend-request");
        request.findElement(By.cssSelector(".accept-request")).click();

        awaitFriend(bob, 1, ALICE);
        awaitFriend(alice, 2, BOB);
        screenshot(alice, "08-friends");
    }

    private static void awaitFriend(WebDriver driver, long userId, String name) {
        waiting(driver).withMessage(() -> "friend " + userId + " not listed: " + text(driver, "#friends")
                        + "; notice: " + text(driver, "#notice"))
                .until(d -> d.findElements(By.cssSelector("#friends li.friend[data-user-id='" + userId + "']")).stream()
                        .anyMatch(f -> f.getText().contains(name)));
    }

    @Test
    @Order(10)
    void afterAServerRestart_bothPagesReconnectByThemselves_andChatOn() {
        startChatWith(alice, 2, BOB);
        open(bob, ALICE);
        server.restart();
        for (var page : List.of(alice, bob)) {
            waiting(page).withMessage(() -> "not reconnected: " + text(page, "#connection"))
                    .until(d -> "1".equals(d.findElement(By.id("connection")).getDomAttribute("data-reconnects")));
            awaitConnected(page);
        }
        var after = unique("Still there?");
        send(alice, "text", after);
        message(bob, after);
        var reply = unique("Yes, back again");
        send(bob, "text", reply);
        message(alice, reply);
        awaitMessageText(alice, after, "Read");
    }

    @Test
    @Order(11)
    void theOwnerRenamesAGroupAndAddsAMember_theMembersPageShowsTheNoticesAndTheNewName() throws IOException {
        var name = unique("Club");
        alice.findElement(By.id("new-group-toggle")).click();
        alice.findElement(By.id("group-name")).sendKeys(name);
        alice.findElement(By.id("group-members")).sendKeys("2");
        alice.findElement(By.id("new-group-submit")).click();
        awaitTitle(alice, name);
        alice.findElement(By.id("members-button")).click();
        var rename = waiting(alice).withMessage(() -> "no rename form: " + text(alice, "#members-panel"))
                .until(d -> d.findElements(By.cssSelector("#group-admin .rename-input")).stream().findFirst().orElse(null));

        var renamed = unique("Renamed club");
        rename.sendKeys(renamed);
        alice.findElement(By.cssSelector("#group-admin .rename-submit")).click();

        open(bob, renamed);
        message(bob, "renamed the group to “" + renamed + "”");
        awaitTitle(alice, renamed);

        waiting(alice).until(d -> d.findElement(By.cssSelector("#group-admin .add-member-input"))).sendKeys("3");
        alice.findElement(By.cssSelector("#group-admin .add-member-submit")).click();
        waiting(alice).withMessage(() -> "members: " + text(alice, "#group-admin"))
                .until(d -> d.findElements(By.cssSelector("#group-admin li.group-member")).size() == 3);
        assertThat(message(bob, " added ").getText()).contains("added");
        screenshot(bob, "11-group-managed");
    }
}
