package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.Chat;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.GetUserInfoReq;
import pb.MessageItem;
import pb.Output;

/**
 * Token buckets per connection (10/s, burst 20 here) and per user (15/s, burst 30): a command over either is
 * answered 429 and not run, while other users go on as before. Violations are set high here: closing a flooder
 * is {@link ConnectionLimitsIT}'s subject.
 */
class RateLimitIT {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.limits(l -> l.withConnectionRate(new GatewayLimits.Rate(10, 20))
                .withUserRate(new GatewayLimits.Rate(15, 30)).withViolations(100_000, Duration.ofSeconds(10))));
        Chat.setUp(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends {@code n} commands back to back, then collects their n replies in order. */
    private static List<Output> pipelined(WsClient client, String type, com.google.protobuf.MessageLite data, int n) {
        for (int i = 0; i < n; i++) {
            client.send(type, data);
        }
        var replies = new ArrayList<Output>();
        for (int i = 0; i < n; i++) {
            replies.add(client.awaitType(type));
        }
        return replies;
    }

    private static long count(List<Output> replies, int code) {
        return replies.stream().filter(r -> r.getCode() == code).count();
    }

    @Test
    void flood_isAnswered429AndNotRun_whileAnotherUserIsServedAsUsual() throws Exception {
        long flooderId = Chat.newUser(server);
        long peerId = Chat.newUser(server);
        long bystanderId = Chat.newUser(server);
        try (var flooder = Chat.signIn(server, flooderId, 1); var peer = Chat.signIn(server, peerId, 1);
             var bystander = Chat.signIn(server, bystanderId, 1)) {
            var bystanderReplies = CompletableFuture.supplyAsync(() -> {
                var codes = new ArrayList<Integer>();
                for (int i = 0; i < 8; i++) {
                    codes.add(bystander.request("getuserinfo", GetUserInfoReq.getDefaultInstance()).getCode());
                    sleep(50);
                }
                return codes;
            });
            var replies = new ArrayList<Output>();
            for (int i = 0; i < 80; i++) {
                flooder.send("sendmessage", Chat.text(Chat.USER, peerId, "flood " + i));
            }
            for (int i = 0; i < 80; i++) {
                replies.add(flooder.awaitType("sendmessage"));
            }
            assertThat(count(replies, 200) + count(replies, 429)).isEqualTo(80);
            assertThat(count(replies, 200)).isBetween(20L, 60L);
            assertThat(replies.stream().filter(r -> r.getCode() == 429).findFirst().orElseThrow().getMessage())
                    .isEqualTo("rate limit: 10 commands/s per connection");
            assertThat(bystanderReplies.get()).containsOnly(200).hasSize(8);

            // only the acknowledged messages exist: a refused one was never stored
            long conversation = WsClient.parse(replies.stream().filter(r -> r.getCode() == 200).findFirst()
                    .orElseThrow(), MessageItem.parser()).getConversationId();
            sleep(1000); // the flooder's bucket fills again
            assertThat(Chat.history(flooder, conversation)).hasSize((int) count(replies, 200));
            assertThat(peer.isClosed()).isFalse();
        }
    }

    @Test
    void devicesOfOneUser_shareTheUserRate() {
        long userId = Chat.newUser(server);
        try (var phone = Chat.signIn(server, userId, 1); var laptop = Chat.signIn(server, userId, 2);
             var tablet = Chat.signIn(server, userId, 3)) {
            var devices = List.of(phone, laptop, tablet);
            // 20 each: within each connection's burst, but 60 together are far more than the user's 30
            for (int i = 0; i < 20; i++) {
                devices.forEach(d -> d.send("getuserinfo", GetUserInfoReq.getDefaultInstance()));
            }
            var replies = new ArrayList<Output>();
            for (int i = 0; i < 20; i++) {
                devices.forEach(d -> replies.add(d.awaitType("getuserinfo")));
            }
            assertThat(count(replies, 200)).isGreaterThanOrEqualTo(30L);
            assertThat(replies.stream().filter(r -> r.getCode() == 429).map(Output::getMessage))
                    .isNotEmpty().containsOnly("rate limit: 15 commands/s per user");
        }
    }

    @Test
    void heartbeats_areNeverRefused_butTheyCountAgainstTheRate() {
        long userId = Chat.newUser(server);
        try (var client = Chat.signIn(server, userId, 1)) {
            // 60 heartbeats and a command right behind them, in one go: the heartbeats emptied the bucket of 20
            for (int i = 0; i < 60; i++) {
                client.send("heartbeat", null);
            }
            client.send("getuserinfo", GetUserInfoReq.getDefaultInstance());
            var heartbeats = new ArrayList<Output>();
            for (int i = 0; i < 60; i++) {
                heartbeats.add(client.awaitType("heartbeat"));
            }
            assertThat(heartbeats).extracting(Output::getCode).containsOnly(200);
            assertThat(client.awaitType("getuserinfo").getCode()).isEqualTo(429);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void appOwnRates_setByTheAdminApi_applyToItsNewConnections_andOtherAppsKeepTheServerRates() {
        var admin = server.admin();
        admin.putApp(3, "strict");
        admin.putUser(3, 1, "strict user");
        var put = admin.call("PUT", "/api/v1/apps/3/rate-limits", java.util.Map.of("conn_per_s", 2, "conn_burst", 3));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(admin.call("GET", "/api/v1/apps/3/rate-limits", null).body().toString())
                .isEqualTo("{\"conn_per_s\":2,\"conn_burst\":3,\"user_per_s\":0,\"user_burst\":0}");
        assertThat(admin.call("PUT", "/api/v1/apps/3/rate-limits", java.util.Map.of("user_burst", -1)).status())
                .isEqualTo(400);
        assertThat(admin.call("PUT", "/api/v1/apps/99/rate-limits", java.util.Map.of("conn_per_s", 5)).status())
                .isEqualTo(404);

        try (var strict = server.signIn(3, 1, 1); var normal = Chat.signIn(server, Chat.newUser(server), 1)) {
            var replies = pipelined(strict, "getuserinfo", GetUserInfoReq.getDefaultInstance(), 10);
            assertThat(count(replies, 200)).isBetween(3L, 5L);
            assertThat(replies.get(9).getMessage()).isEqualTo("rate limit: 2 commands/s per connection");
            assertThat(count(pipelined(normal, "getuserinfo", GetUserInfoReq.getDefaultInstance(), 10), 200))
                    .isEqualTo(10);
        }
        // back to the server's rates for connections signed in afterwards
        admin.call("PUT", "/api/v1/apps/3/rate-limits", java.util.Map.of());
        try (var relaxed = server.signIn(3, 1, 2)) {
            assertThat(count(pipelined(relaxed, "getuserinfo", GetUserInfoReq.getDefaultInstance(), 10), 200))
                    .isEqualTo(10);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
