package io.imserver.api;

import static io.imserver.testing.WebhookReceiver.delivered;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imserver.testing.AdminClient;
import io.imserver.testing.TestServer;
import io.imserver.testing.WebhookReceiver;
import io.imserver.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageRead;
import pb.MessageType;
import pb.RecallReq;
import pb.SendMessage;
import pb.Text;

/** Webhooks against a real server and a receiver on loopback: before-send, signed after-events, the outbox. */
class WebhookIT {
    static final Duration WAIT = Duration.ofSeconds(30);
    static TestServer server;
    static AdminClient admin;
    static long nextApp = 40;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A fresh app with users 1-3 and a webhook to the receiver; returns the webhook's secret. */
    static String appWithWebhook(long app, WebhookReceiver receiver, Map<String, Object> settings) {
        admin.putApp(app, "app " + app);
        for (long u = 1; u <= 3; u++) {
            admin.putUser(app, u, "user" + u);
        }
        var body = new HashMap<String, Object>(settings);
        body.put("url", receiver.url());
        var put = admin.call("PUT", "/api/v1/apps/" + app + "/webhook", body);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        return put.body().get("secret").asText();
    }

    static SendMessage text(int receiverType, long receiverId, String text) {
        return SendMessage.newBuilder().setReceiverType(receiverType).setReceiverId(receiverId)
                .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                        .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))))
                .build();
    }

    static String hmac(String secret, byte[] body) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    static String textOf(JsonNode event) {
        return event.path("message").path("message_body").path("message_content").path("text").path("text").asText();
    }

    @Test
    void aRejectingBeforeSendHook_blocksTheMessage_andTheSenderGetsTheReason() {
        try (var receiver = new WebhookReceiver()) {
            long app = nextApp++;
            appWithWebhook(app, receiver, Map.of("before_send", true, "events", List.of("message.stored")));
            receiver.beforeSend = req -> req.path("message").toString().contains("spam")
                    ? "{\"allow\":false,\"reason\":\"no spam here\"}" : "{\"allow\":true}";
            try (var sender = server.signIn(app, 1, 1); var peer = server.signIn(app, 2, 1)) {
                var refused = sender.request("sendmessage", text(1, 2, "buy spam now"));
                assertThat(refused.getCode()).isEqualTo(451);
                assertThat(refused.getMessage()).isEqualTo("no spam here");
                peer.assertNoOutput("message", Duration.ofMillis(300));

                var accepted = sender.request("sendmessage", text(1, 2, "hello"));
                assertThat(accepted.getCode()).isEqualTo(200);
                assertThat(WsClient.parse(peer.awaitType("message"), MessageItem.parser()).getMessageBody()
                        .getMessageContent().getText().getText()).isEqualTo("hello");
            }
            var stored = receiver.await(c -> delivered(c, "message.stored").size() == 1, WAIT);
            assertThat(textOf(delivered(stored, "message.stored").get(0).json())).isEqualTo("hello");
            var asked = receiver.calls().stream().filter(c -> "message.before_send".equals(c.event())).toList();
            assertThat(asked).hasSize(2);
            assertThat(asked.get(0).json().path("user_id").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aTimingOutHook_letsMessagesThroughWhenFailOpen_andRefusesThemWhenFailClosed() {
        try (var receiver = new WebhookReceiver()) {
            receiver.beforeSendDelay = Duration.ofMillis(1500);
            long open = nextApp++;
            appWithWebhook(open, receiver, Map.of("before_send", true, "before_send_timeout_ms", 200));
            try (var sender = server.signIn(open, 1, 1)) {
                assertThat(sender.request("sendmessage", text(1, 2, "through")).getCode()).isEqualTo(200);
            }
            long closed = nextApp++;
            appWithWebhook(closed, receiver, Map.of("before_send", true, "before_send_timeout_ms", 200,
                    "fail_closed", true));
            try (var sender = server.signIn(closed, 1, 1)) {
                var refused = sender.request("sendmessage", text(1, 2, "blocked"));
                assertThat(refused.getCode()).isEqualTo(451);
                assertThat(refused.getMessage()).contains("fail-closed").contains("200 ms");
            }
            var list = admin.call("GET", "/api/v1/apps/" + closed + "/users/2/conversations", null).body();
            assertThat(list.path("conversation")).isEmpty();
        }
    }

    @Test
    void afterSendDeliveries_areSigned_onePerDeliveryId_inOrder() throws Exception {
        try (var receiver = new WebhookReceiver()) {
            long app = nextApp++;
            var secret = appWithWebhook(app, receiver, Map.of("events", List.of("message.stored")));
            try (var sender = server.signIn(app, 1, 1)) {
                for (int i = 0; i < 10; i++) {
                    assertThat(sender.request("sendmessage", text(1, 2, "m" + i)).getCode()).isEqualTo(200);
                }
            }
            var calls = receiver.await(c -> delivered(c, "message.stored").size() >= 10, WAIT);
            Thread.sleep(500); // nothing more may come
            calls = receiver.calls();
            var stored = delivered(calls, "message.stored");
            assertThat(stored).hasSize(10);
            assertThat(stored.stream().map(c -> textOf(c.json())).toList())
                    .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            assertThat(new HashSet<>(stored.stream().map(WebhookReceiver.Call::deliveryId).toList())).hasSize(10);
            for (var call : stored) {
                assertThat(call.signature()).isEqualTo(hmac(secret, call.body()));
                assertThat(call.timestamp()).isNotBlank();
                assertThat(call.json().path("app_id").asLong()).isEqualTo(app);
                assertThat(call.json().path("message").path("owner_id").asLong()).isEqualTo(2);
            }
        }
    }

    @Test
    void afterSendDeliveries_surviveTheReceiverBeingDown_andAServerRestart() {
        try (var receiver = new WebhookReceiver()) {
            long app = nextApp++;
            appWithWebhook(app, receiver, Map.of("events", List.of("message.stored")));
            receiver.status = 503;
            try (var sender = server.signIn(app, 1, 1)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(sender.request("sendmessage", text(1, 2, "d" + i)).getCode()).isEqualTo(200);
                }
            }
            receiver.await(c -> c.stream().filter(x -> "message.stored".equals(x.event())).count() >= 2, WAIT);
            server.restart();
            admin = server.admin(); // new ports
            receiver.status = 200;
            var calls = receiver.await(c -> delivered(c, "message.stored").size() >= 3, WAIT);
            var stored = delivered(calls, "message.stored");
            assertThat(stored.stream().map(c -> textOf(c.json())).toList()).containsExactly("d0", "d1", "d2");
            // the refused attempts were of the first event only: later events wait for it (order per conversation)
            var refusedIds = calls.stream().filter(c -> c.answered() == 503).map(WebhookReceiver.Call::deliveryId)
                    .distinct().toList();
            assertThat(refusedIds).containsExactly(stored.get(0).deliveryId());
        }
    }

    @Test
    void offlineDeviceEvents_fireForOfflineRecipientsOnly() {
        try (var receiver = new WebhookReceiver()) {
            long app = nextApp++;
            appWithWebhook(app, receiver, Map.of("events", List.of("message.offline")));
            long group = admin.createGroup(app, "g", 1, List.of(2L, 3L));
            try (var sender = server.signIn(app, 1, 1); var online = server.signIn(app, 2, 1)) {
                assertThat(sender.request("sendmessage", text(1, 2, "to online")).getCode()).isEqualTo(200);
                assertThat(sender.request("sendmessage", text(1, 3, "to offline")).getCode()).isEqualTo(200);
                assertThat(sender.request("sendmessage", text(2, group, "to group")).getCode()).isEqualTo(200);
            }
            var calls = receiver.await(c -> delivered(c, "message.offline").size() >= 2, WAIT);
            var offline = delivered(calls, "message.offline");
            assertThat(offline.stream().map(c -> textOf(c.json())).toList())
                    .containsExactlyInAnyOrder("to offline", "to group");
            for (var call : offline) {
                assertThat(call.json().path("user_ids").toString()).isEqualTo("[3]");
            }
        }
    }

    @Test
    void everyKindOfAfterEvent_isDelivered() {
        try (var receiver = new WebhookReceiver()) {
            long app = nextApp++;
            appWithWebhook(app, receiver, Map.of());
            try (var sender = server.signIn(app, 1, 1)) {
                try (var reader = server.signIn(app, 2, 1)) {
                    var sent = WsClient.parse(sender.request("sendmessage", text(1, 2, "read me")), MessageItem.parser());
                    var copy = WsClient.parse(reader.awaitType("message"), MessageItem.parser());
                    assertThat(reader.request("messageread", MessageRead.newBuilder().setMessageId(copy.getId())
                            .build()).getCode()).isEqualTo(200);
                    assertThat(sender.request("recall", RecallReq.newBuilder().setMessageId(sent.getId()).build())
                            .getCode()).isEqualTo(200);
                }
                admin.createGroup(app, "g", 1, List.of(3L));
            }
            var events = List.of("device.online", "message.stored", "message.read", "message.recalled",
                    "device.offline", "group.changed");
            var calls = receiver.await(c -> events.stream().allMatch(e -> !delivered(c, e).isEmpty())
                    && delivered(c, "group.changed").size() >= 2, WAIT);
            var read = delivered(calls, "message.read").stream()
                    .filter(c -> c.json().path("user_id").asLong() == 2).findFirst().orElseThrow();
            assertThat(read.json().path("read_seq").asLong()).isEqualTo(1);
            assertThat(delivered(calls, "message.recalled").get(0).json().path("message").path("status").asInt())
                    .isEqualTo(1);
            assertThat(delivered(calls, "group.changed").stream().map(c -> c.json().path("change").asText()))
                    .contains("created", "member_put");
        }
    }

    @Test
    void deviceEvents_markOnlineAndOffline_andASignInReplacingTheSameDeviceIsNeither() throws InterruptedException {
        try (var receiver = new WebhookReceiver()) {
            long app = nextApp++;
            appWithWebhook(app, receiver, Map.of("events", List.of("device.online", "device.offline")));
            try (var first = server.signIn(app, 1, 7)) {
                try (var second = server.signIn(app, 1, 7)) {
                    assertThat(first.awaitType("kick").getCode()).isEqualTo(410);
                }
            }
            var calls = receiver.await(c -> delivered(c, "device.offline").size() >= 1, WAIT);
            Thread.sleep(500); // nothing more may come
            calls = receiver.calls();
            assertThat(delivered(calls, "device.online")).hasSize(1);
            assertThat(delivered(calls, "device.offline")).hasSize(1);
            var online = delivered(calls, "device.online").get(0).json();
            assertThat(online.path("user_id").asLong()).isEqualTo(1);
            assertThat(online.path("device_id").asLong()).isEqualTo(7);
        }
    }
}
