package io.imserver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imserver.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageType;
import pb.Output;
import pb.SendMessage;
import pb.SyncReq;
import pb.Text;

class ImClientIT {
    static TestServer server;
    static ClientResources resources;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        var admin = server.admin();
        admin.putApp(1, "app one");
        for (long u = 1; u <= 6; u++) {
            admin.putUser(1, u, "user" + u);
        }
        resources = ClientResources.create(2);
    }

    @AfterAll
    static void stop() {
        resources.close();
        server.close();
    }

    static ImClientOptions.Builder options(TestServer s, long user) {
        return ImClientOptions.builder(s.wsUrl()).identity(1, user, 1, s.admin().token(1, user, 1, 3600))
                .requestTimeout(Duration.ofSeconds(10));
    }

    static SendMessage text(long to, String text) {
        return SendMessage.newBuilder().setReceiverType(1).setReceiverId(to)
                .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                        .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))))
                .build();
    }

    @Test
    void connect_signsIn_sendMessageIsAcked_andThePeerGetsThePush() throws Exception {
        var pushes = new LinkedBlockingQueue<MessageItem>();
        var alice = ImClient.create(options(server, 1).build(), resources);
        var bob = ImClient.create(options(server, 2).build(), resources).onMessage((c, m) -> pushes.add(m));
        try {
            CompletableFuture.allOf(alice.connect(), bob.connect()).get(10, TimeUnit.SECONDS);
            assertThat(alice.state()).isEqualTo(ConnectionState.CONNECTED);
            var stored = alice.sendMessage(text(2, "hello bob")).get(10, TimeUnit.SECONDS);
            assertThat(stored.getId()).isPositive();
            assertThat(stored.getSenderId()).isEqualTo(1);
            var push = pushes.poll(10, TimeUnit.SECONDS);
            assertThat(push).isNotNull();
            assertThat(push.getMessageBody().getMessageContent().getText().getText()).isEqualTo("hello bob");
            assertThat(push.getSenderId()).isEqualTo(1);
            var hb = alice.request("heartbeat", null).get(10, TimeUnit.SECONDS);
            assertThat(hb.getCode()).isEqualTo(200);
            var page = bob.sync(SyncReq.newBuilder().setConversationId(push.getConversationId()).setReceiverType(1)
                    .setLimit(10).build()).get(10, TimeUnit.SECONDS);
            assertThat(page.getMessagesList()).extracting(MessageItem::getId).contains(push.getId());
        } finally {
            alice.closeAsync().get(5, TimeUnit.SECONDS);
            bob.closeAsync().get(5, TimeUnit.SECONDS);
        }
        assertThat(alice.state()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void pipelinedRequests_areMatchedInOrder_evenWithHeartbeatsAndErrorsInBetween() throws Exception {
        var client = ImClient.create(options(server, 3).build(), resources);
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            var sends = new ArrayList<CompletableFuture<MessageItem>>();
            var heartbeats = new ArrayList<CompletableFuture<Output>>();
            for (int i = 0; i < 30; i++) {
                sends.add(client.sendMessage(text(4, "m" + i)));
                heartbeats.add(client.request("heartbeat", null));
            }
            var refused = client.sendMessage(text(999, "nobody"));
            var after = client.sendMessage(text(4, "after"));
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            long previous = 0;
            for (int i = 0; i < sends.size(); i++) {
                var item = sends.get(i).join();
                assertThat(item.getMessageBody().getMessageContent().getText().getText()).isEqualTo("m" + i);
                assertThat(item.getId()).isGreaterThan(previous);
                previous = item.getId();
            }
            assertThat(heartbeats).allSatisfy(h -> assertThat(h.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200));
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ImClientException.class)
                    .cause().satisfies(e -> assertThat(((ImClientException) e).code()).isEqualTo(404));
            assertThat(after.get(10, TimeUnit.SECONDS).getMessageBody().getMessageContent().getText().getText())
                    .isEqualTo("after");
            var unknown = client.request("nosuchcommand", null).get(10, TimeUnit.SECONDS);
            assertThat(unknown.getCode()).isEqualTo(405);
        } finally {
            client.close();
        }
    }

    @Test
    void aRefusedToken_failsConnectWithTheServersCode_withoutRetrying() throws Exception {
        var states = new CopyOnWriteArrayList<ConnectionState>();
        var client = ImClient.create(options(server, 5).token("not-a-token").build(), resources)
                .onStateChange((c, s, cause) -> states.add(s));
        var error = org.assertj.core.api.Assertions.catchThrowable(() -> client.connect().get(10, TimeUnit.SECONDS));
        assertThat(error.getCause()).isInstanceOf(ImClientException.class);
        assertThat(((ImClientException) error.getCause()).code()).isEqualTo(401);
        assertThat(((ImClientException) error.getCause()).type()).isEqualTo("sign");
        Thread.sleep(500);
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(states).containsExactly(ConnectionState.CONNECTING, ConnectionState.DISCONNECTED);
        assertThatThrownBy(() -> client.request("heartbeat", null).join()).isInstanceOf(CompletionException.class)
                .cause().satisfies(e -> assertThat(((ImClientException) e).code())
                        .isEqualTo(ImClientException.NOT_CONNECTED));
        client.close();
    }

    @Test
    void aKick_closesForGood_andIsSeenAsAPush() throws Exception {
        var pushes = new CopyOnWriteArrayList<Output>();
        var states = new LinkedBlockingQueue<ConnectionState>();
        var first = ImClient.create(options(server, 6).build(), resources).onPush((c, p) -> pushes.add(p))
                .onStateChange((c, s, cause) -> states.add(s));
        first.connect().get(10, TimeUnit.SECONDS);
        var second = ImClient.create(options(server, 6).build(), resources);
        try {
            second.connect().get(10, TimeUnit.SECONDS);
            // the kick reaches the first connection on its own schedule: wait for it, do not race it
            await("the kick pushed to the first connection").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> pushes.stream().anyMatch(p -> p.getType().equals("kick")));
            assertThat(first.closeAsync()).succeedsWithin(Duration.ofSeconds(10));
            assertThat(first.state()).isEqualTo(ConnectionState.CLOSED);
            assertThat(pushes).extracting(Output::getType, Output::getCode).contains(org.assertj.core.groups.Tuple
                    .tuple("kick", 410));
            assertThat(List.copyOf(states)).doesNotContain(ConnectionState.RECONNECTING);
            assertThat(second.state()).isEqualTo(ConnectionState.CONNECTED);
        } finally {
            second.close();
        }
    }

    @Test
    void anUnexpectedClose_isFollowedByReconnectAndSignIn() throws Exception {
        try (var idle = TestServer.start(b -> b.idleTimeout(Duration.ofSeconds(1)))) {
            idle.admin().putApp(1, "app");
            idle.admin().putUser(1, 1, "alice");
            var states = new CopyOnWriteArrayList<ConnectionState>();
            var client = ImClient.create(options(idle, 1).heartbeatInterval(Duration.ofSeconds(30))
                    .reconnect(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 0.5)).build(), resources)
                    .onStateChange((c, s, cause) -> states.add(s));
            client.connect().get(10, TimeUnit.SECONDS);
            await("a reconnect after the server's idle close").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(client.reconnects()).isPositive());
            assertThat(states).containsSubsequence(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
                    ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
            client.closeAsync().get(5, TimeUnit.SECONDS);
            Thread.sleep(300);
            assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        }
    }

    @Test
    void heartbeats_keepAnIdleConnectionOpen() throws Exception {
        try (var idle = TestServer.start(b -> b.idleTimeout(Duration.ofSeconds(1)))) {
            idle.admin().putApp(1, "app");
            idle.admin().putUser(1, 1, "alice");
            var client = ImClient.create(options(idle, 1).heartbeatInterval(Duration.ofMillis(300)).build(),
                    resources);
            client.connect().get(10, TimeUnit.SECONDS);
            Thread.sleep(2_500);
            assertThat(client.reconnects()).isZero();
            assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
            client.close();
        }
    }

    @Test
    void sendReliably_stampsAClientMessageId_andARepeatIsStoredOnce() throws Exception {
        var alice = ImClient.create(options(server, 3).build(), resources);
        try {
            alice.connect().get(10, TimeUnit.SECONDS);
            var first = alice.sendReliably(text(4, "once"), 3).get(10, TimeUnit.SECONDS);
            assertThat(first.getClientMsgId()).isNotEmpty();
            var again = alice.sendReliably(text(4, "once").toBuilder().setClientMsgId(first.getClientMsgId()).build(), 3)
                    .get(10, TimeUnit.SECONDS);
            assertThat(again.getId()).isEqualTo(first.getId());
            var stored = alice.catchUp(first.getConversationId(), first.getSeq() - 1).get(10, TimeUnit.SECONDS);
            assertThat(stored).as("the repeat stored nothing").extracting(MessageItem::getClientMsgId)
                    .containsOnlyOnce(first.getClientMsgId());
            assertThat(stored.get(0).getId()).isEqualTo(first.getId());
        } finally {
            alice.close();
        }
    }

    @Test
    void sendReliably_whileReconnecting_waitsAndSendsOnce() throws Exception {
        try (var idle = TestServer.start(b -> b.idleTimeout(Duration.ofSeconds(1)))) {
            idle.admin().putApp(1, "app");
            idle.admin().putUser(1, 1, "alice");
            idle.admin().putUser(1, 2, "bob");
            var reconnecting = new CompletableFuture<Void>();
            var client = ImClient.create(options(idle, 1).heartbeatInterval(Duration.ofSeconds(30))
                    .reconnect(new Backoff(Duration.ofMillis(800), Duration.ofMillis(800), 0)).build(), resources)
                    .onStateChange((c, s, cause) -> {
                        if (s == ConnectionState.RECONNECTING) {
                            reconnecting.complete(null);
                        }
                    });
            try {
                client.connect().get(10, TimeUnit.SECONDS);
                reconnecting.get(15, TimeUnit.SECONDS); // the server dropped the silent connection
                var plain = client.sendMessage(text(2, "plain")).handle((r, e) -> e);
                var reliable = client.sendReliably(text(2, "reliable"), 5).get(15, TimeUnit.SECONDS);
                assertThat(plain.get(5, TimeUnit.SECONDS)).as("a plain send fails while reconnecting").isNotNull();
                assertThat(reliable.getSeq()).isEqualTo(1);
                var stored = client.catchUp(reliable.getConversationId(), 0).get(10, TimeUnit.SECONDS);
                assertThat(stored).extracting(m -> m.getMessageBody().getMessageContent().getText().getText())
                        .containsExactly("reliable");
            } finally {
                client.close();
            }
        }
    }

    @Test
    void catchUp_returnsEverythingAfterASeq_inOrder_acrossPages() throws Exception {
        var alice = ImClient.create(options(server, 5).build(), resources);
        var bob = ImClient.create(options(server, 6).build(), resources);
        try {
            alice.connect().get(10, TimeUnit.SECONDS);
            var sends = new java.util.ArrayList<CompletableFuture<MessageItem>>();
            for (int i = 1; i <= 250; i++) {
                sends.add(alice.sendReliably(text(6, "n" + i), 1));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            bob.connect().get(10, TimeUnit.SECONDS);
            var conversation = bob.conversations(10, 0).get(10, TimeUnit.SECONDS).getConversationList().stream()
                    .filter(c -> c.getReceiverId() == 5).findFirst().orElseThrow();
            var all = bob.catchUp(conversation.getId(), 0).get(20, TimeUnit.SECONDS);
            assertThat(all).extracting(MessageItem::getSeq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 250).boxed().toList());
            var tail = bob.catchUp(conversation.getId(), 240).get(10, TimeUnit.SECONDS);
            assertThat(tail).extracting(m -> m.getMessageBody().getMessageContent().getText().getText())
                    .containsExactly("n241", "n242", "n243", "n244", "n245", "n246", "n247", "n248", "n249", "n250");
        } finally {
            alice.close();
            bob.close();
        }
    }
}
