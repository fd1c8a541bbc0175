package io.imserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imserver.testing.AdminClient;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.MessageItem;

/** The admin HTTP API's business operations against a real server (docs/API.md). */
class AdminBusinessApiIT {
    static TestServer server;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void app(long appId, int users) {
        admin.putApp(appId, "app " + appId);
        for (long u = 1; u <= users; u++) {
            admin.putUser(appId, u, "user" + u);
        }
    }

    static JsonNode ok(AdminClient.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    @Test
    void sendAsAUser_storesBothSides_andARetryWithTheSameClientMsgIdStoresNothing() {
        app(20, 2);
        var body = Map.of("sender_type", 2, "sender_id", 1, "receiver_type", 1, "receiver_id", 2, "text", "hi",
                "client_msg_id", "c-1");
        try (var receiver = server.signIn(20, 2, 1)) {
            var first = ok(admin.call("POST", "/api/v1/apps/20/messages", body));
            var push = WsClient.parse(receiver.awaitType("message"), MessageItem.parser());
            assertThat(push.getSenderId()).isEqualTo(1);
            var again = ok(admin.call("POST", "/api/v1/apps/20/messages", body));
            assertThat(again.get("id").asText()).isEqualTo(first.get("id").asText());
            receiver.assertNoOutput("message", Duration.ofMillis(300));
        }
        var conversations = ok(admin.call("GET", "/api/v1/apps/20/users/1/conversations", null)).get("conversation");
        assertThat(conversations).hasSize(1);
        long conversation = conversations.get(0).get("id").asLong();
        var messages = ok(admin.call("GET", "/api/v1/apps/20/conversations/" + conversation + "/messages", null));
        assertThat(messages.get("messages")).hasSize(1);
    }

    @Test
    void sendAsTheSystem_goesToTheReceiversConversationWithTheSystem_andBroadcastReachesEach() {
        app(21, 3);
        var sent = ok(admin.call("POST", "/api/v1/apps/21/messages", Map.of("sender_type", 1, "receiver_type", 1,
                "receiver_id", 1, "message_body", Map.of("message_type", "MT_TEXT",
                        "message_content", Map.of("text", Map.of("text", "welcome"))))));
        assertThat(sent.get("sender_type").asInt()).isEqualTo(1);
        var broadcast = ok(admin.call("POST", "/api/v1/apps/21/broadcasts", Map.of("user_ids", List.of(1, 2, 3),
                "text", "maintenance", "client_msg_id", "b-1")));
        assertThat(broadcast.get("messages")).hasSize(3);
        var again = ok(admin.call("POST", "/api/v1/apps/21/broadcasts", Map.of("user_ids", List.of(1, 2, 3),
                "text", "maintenance", "client_msg_id", "b-1")));
        assertThat(again.get("messages").get(2).get("id")).isEqualTo(broadcast.get("messages").get(2).get("id"));

        var list = ok(admin.call("GET", "/api/v1/apps/21/users/1/conversations", null)).get("conversation");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("receiver_id").asLong(0)).isZero();
        assertThat(list.get(0).get("receive_num").asLong()).isEqualTo(2);
        long conversation = list.get(0).get("id").asLong();
        var page = ok(admin.call("GET", "/api/v1/apps/21/conversations/" + conversation + "/messages?limit=1&offset=1",
                null)).get("messages");
        assertThat(page).hasSize(1);
        assertThat(page.get(0).get("conversation_message").asText()).isEqualTo("welcome");
    }

    @Test
    void pagingValues_areChecked_likeTheWebSocketCommands() {
        app(22, 1);
        assertThat(admin.call("GET", "/api/v1/apps/22/users/1/conversations?limit=-1", null).status()).isEqualTo(400);
        assertThat(admin.call("GET", "/api/v1/apps/22/users/1/conversations?offset=x", null).status()).isEqualTo(400);
        assertThat(admin.call("GET", "/api/v1/apps/22/users/9/conversations", null).status()).isEqualTo(404);
        assertThat(admin.call("POST", "/api/v1/apps/22/messages", Map.of("sender_type", 3, "receiver_type", 1,
                "receiver_id", 1, "text", "x")).status()).isEqualTo(400);
    }

    @Test
    void onlineDevices_areListed_andAKickedDeviceIsClosed() {
        app(23, 1);
        try (var a = server.signIn(23, 1, 1); var b = server.signIn(23, 1, 2)) {
            var devices = ok(admin.call("GET", "/api/v1/apps/23/users/1/devices", null)).get("device_ids");
            assertThat(devices.toString()).isEqualTo("[1,2]");
            assertThat(ok(admin.call("DELETE", "/api/v1/apps/23/users/1/devices/2", null)).get("kicked").asBoolean())
                    .isTrue();
            assertThat(b.awaitType("kick").getCode()).isEqualTo(410);
            b.awaitClose(Duration.ofSeconds(5));
            assertThat(ok(admin.call("GET", "/api/v1/apps/23/users/1/devices", null)).get("device_ids").toString())
                    .isEqualTo("[1]");
            assertThat(ok(admin.call("DELETE", "/api/v1/apps/23/users/1/devices/2", null)).get("kicked").asBoolean())
                    .isFalse();
        }
    }

    @Test
    void revokedTokens_areRefusedAtSignIn_butNewOnesWork() throws InterruptedException {
        app(24, 1);
        var old = admin.token(24, 1, 1, 3600);
        ok(admin.call("POST", "/api/v1/apps/24/users/1/revoke-tokens", null));
        try (var ws = WsClient.connect(server.wsUrl())) {
            var refused = ws.request("sign", null, WsClient.auth(24, 1, 1, old));
            assertThat(refused.getCode()).isEqualTo(401);
            assertThat(refused.getMessage()).contains("revoked");
        }
        Thread.sleep(5);
        server.signIn(24, 1, 1).close();
    }

    @Test
    void aDisabledApp_refusesSignIn_andClosesItsConnections_untilEnabled() {
        app(25, 1);
        var token = admin.token(25, 1, 1, 3600);
        try (var connected = server.signIn(25, 1, 2)) {
            assertThat(ok(admin.call("POST", "/api/v1/apps/25/disable", null)).get("disabled_at").asLong()).isPositive();
            connected.awaitClose(Duration.ofSeconds(5));
        }
        try (var ws = WsClient.connect(server.wsUrl())) {
            assertThat(ws.request("sign", null, WsClient.auth(25, 1, 1, token)).getCode()).isEqualTo(403);
        }
        assertThat(admin.call("POST", "/api/v1/apps/25/tokens", Map.of("user_id", 1, "device_id", 1)).status())
                .isEqualTo(403);
        assertThat(ok(admin.call("GET", "/api/v1/apps/25", null)).get("disabled_at").asLong()).isPositive();
        ok(admin.call("POST", "/api/v1/apps/25/enable", null));
        assertThat(ok(admin.call("GET", "/api/v1/apps/25", null)).get("disabled_at").asLong()).isZero();
        server.signIn(25, 1, 1).close();
    }

    @Test
    void groups_areUpdated_pagedByMember_handedOver_andDeleted() {
        app(26, 5);
        long group = admin.createGroup(26, "old name", 1, List.of(2L, 3L, 4L, 5L));
        var updated = ok(admin.call("PATCH", "/api/v1/apps/26/groups/" + group, Map.of("name", "new name")));
        assertThat(updated.get("name").asText()).isEqualTo("new name");
        var list = ok(admin.call("GET", "/api/v1/apps/26/users/3/conversations", null)).get("conversation");
        assertThat(list.get(0).get("username").asText()).isEqualTo("new name");

        var page = ok(admin.call("GET", "/api/v1/apps/26/groups/" + group + "/members?limit=2&offset=0", null))
                .get("members");
        assertThat(page).hasSize(2);
        assertThat(page.get(0).get("role").asText()).isEqualTo("owner");
        var rest = ok(admin.call("GET", "/api/v1/apps/26/groups/" + group + "/members?limit=2&offset=4", null))
                .get("members");
        assertThat(rest).hasSize(1);

        var handed = ok(admin.call("PUT", "/api/v1/apps/26/groups/" + group + "/owner", Map.of("user_id", 2)));
        assertThat(handed.get("owner_id").asLong()).isEqualTo(2);
        var members = ok(admin.call("GET", "/api/v1/apps/26/groups/" + group, null)).get("members");
        assertThat(members.toString()).contains("{\"user_id\":1,\"role\":\"admin\"")
                .contains("{\"user_id\":2,\"role\":\"owner\"");
        assertThat(admin.call("PUT", "/api/v1/apps/26/groups/" + group + "/owner", Map.of("user_id", 9)).status())
                .isEqualTo(404);

        ok(admin.call("DELETE", "/api/v1/apps/26/groups/" + group, null));
        assertThat(admin.call("GET", "/api/v1/apps/26/groups/" + group, null).status()).isEqualTo(404);
        assertThat(ok(admin.call("GET", "/api/v1/apps/26/users/3/conversations", null)).path("conversation"))
                .isEmpty();
    }

    @Test
    void deletingAUser_removesItsData_refusesItsTokens_keepsThePeersCopies_andAnOwnerMustHandOverFirst() {
        app(27, 3);
        ok(admin.call("POST", "/api/v1/apps/27/messages", Map.of("sender_type", 2, "sender_id", 1, "receiver_type", 1,
                "receiver_id", 2, "text", "bye")));
        long group = admin.createGroup(27, "g", 3, List.of(1L));
        var token = admin.token(27, 1, 2, 3600);
        try (var ws = server.signIn(27, 1, 1)) {
            ok(admin.call("DELETE", "/api/v1/apps/27/users/1", null));
            ws.awaitClose(Duration.ofSeconds(5));
        }
        try (var ws = WsClient.connect(server.wsUrl())) {
            assertThat(ws.request("sign", null, WsClient.auth(27, 1, 2, token)).getCode()).isEqualTo(401);
        }
        assertThat(admin.call("GET", "/api/v1/apps/27/users/1", null).status()).isEqualTo(404);
        assertThat(admin.call("GET", "/api/v1/apps/27/users/1/conversations", null).status()).isEqualTo(404);
        assertThat(ok(admin.call("GET", "/api/v1/apps/27/users/2/conversations", null)).get("conversation")).hasSize(1);
        assertThat(ok(admin.call("GET", "/api/v1/apps/27/groups/" + group, null)).get("members")).hasSize(1);
        var refused = admin.call("DELETE", "/api/v1/apps/27/users/3", null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("error").asText()).contains("owns groups");
    }

    @Test
    void aProfileChange_showsInConversationLists_fullAndIncremental_atOnce() {
        app(28, 2);
        ok(admin.call("POST", "/api/v1/apps/28/messages", Map.of("sender_type", 2, "sender_id", 1, "receiver_type", 1,
                "receiver_id", 2, "text", "hi")));
        try (var ws = server.signIn(28, 2, 1)) {
            var before = WsClient.parse(ws.request("getconversationlist", pb.ConversationReq.getDefaultInstance()),
                    pb.ConversationResp.parser());
            admin.putUser(28, 1, "Renamed");
            var list = ok(admin.call("GET", "/api/v1/apps/28/users/2/conversations", null)).get("conversation");
            assertThat(list.get(0).get("username").asText()).isEqualTo("Renamed");
            var changes = WsClient.parse(ws.request("getconversationlist", pb.ConversationReq.newBuilder()
                    .setSinceVersion(before.getVersion()).build()), pb.ConversationResp.parser());
            assertThat(changes.getConversationList()).extracting(pb.ConversationItem::getUsername)
                    .containsExactly("Renamed");
        }
    }

    @Test
    void webhookSettings_arePutReadAndDeleted_withDefaults_andBadValuesRefused() {
        app(29, 1);
        var put = ok(admin.call("PUT", "/api/v1/apps/29/webhook", Map.of("url", "http://127.0.0.1:1/hook")));
        assertThat(put.get("secret").asText()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(put.get("events")).hasSize(7);
        assertThat(put.get("before_send").asBoolean()).isFalse();
        assertThat(put.get("fail_closed").asBoolean()).isFalse();
        assertThat(put.get("before_send_timeout_ms").asLong()).isEqualTo(2000);
        assertThat(ok(admin.call("GET", "/api/v1/apps/29/webhook", null)).get("secret")).isEqualTo(put.get("secret"));
        assertThat(admin.call("PUT", "/api/v1/apps/29/webhook", Map.of("url", "ftp://x")).status()).isEqualTo(400);
        assertThat(admin.call("PUT", "/api/v1/apps/29/webhook", Map.of("url", "http://x/",
                "events", List.of("nope"))).status()).isEqualTo(400);
        assertThat(admin.call("PUT", "/api/v1/apps/29/webhook", Map.of("url", "http://x/",
                "before_send_timeout_ms", 999999)).status()).isEqualTo(400);
        ok(admin.call("DELETE", "/api/v1/apps/29/webhook", null));
        assertThat(admin.call("GET", "/api/v1/apps/29/webhook", null).status()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocument_isServedWithoutTheAdminToken_andEveryPathInItIsRouted() {
        var doc = admin.call("GET", "/api/v1/openapi.json", null, null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body().get("openapi").asText()).startsWith("3.");
        var paths = doc.body().get("paths");
        assertThat(paths.size()).isGreaterThan(20);
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(method -> {
            // ids nobody has: a routed path answers 200, 400 or 404 "... does not exist", never "no such path" or 405
            var concrete = path.replaceAll("\\{[a-z]+\\}", "987654");
            var r = admin.call(method.toUpperCase(java.util.Locale.ROOT), concrete, method.equals("get") ? null : "{}");
            assertThat(r.status()).as(method + " " + path + ": " + r.text()).isNotEqualTo(405);
            assertThat(r.text()).as(method + " " + path).doesNotContain("no such path");
        }));
    }
}
