package io.imserver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imserver.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.MessageItem;
import pb.SendMessage;

class MessageFeedIT {
    static ClientResources resources;

    @BeforeAll
    static void start() {
        resources = ClientResources.create(2);
    }

    @AfterAll
    static void stop() {
        resources.close();
    }

    /** What a feed passed on, by conversation, in the order it came. */
    static final class Received implements MessageListener {
        final Map<Long, List<MessageItem>> byConversation = new ConcurrentHashMap<>();

        @Override
        public void onMessage(ImClient client, MessageItem message) {
            byConversation.computeIfAbsent(message.getConversationId(), k -> new CopyOnWriteArrayList<>()).add(message);
        }

        List<Long> seqs(long conversationId) {
            return byConversation.getOrDefault(conversationId, List.of()).stream().map(MessageItem::getSeq).toList();
        }

        List<String> texts(long conversationId) {
            return byConversation.getOrDefault(conversationId, List.of()).stream()
                    .map(m -> m.getMessageBody().getMessageContent().getText().getText()).toList();
        }

        long conversationStartingWith(String prefix) {
            return byConversation.entrySet().stream()
                    .filter(e -> e.getValue().get(0).getMessageBody().getMessageContent().getText().getText()
                            .startsWith(prefix))
                    .findFirst().orElseThrow().getKey();
        }

        /** Per conversation: how many, and the seqs where the run 1, 2, 3... breaks. */
        String summary() {
            var out = new StringBuilder();
            byConversation.forEach((id, list) -> {
                out.append("conversation ").append(id).append(": ").append(list.size()).append(" messages");
                long expected = 1;
                for (var m : list) {
                    if (m.getSeq() != expected) {
                        out.append(", seq ").append(m.getSeq()).append(" where ").append(expected).append(" was due");
                        break;
                    }
                    expected++;
                }
                out.append(", last seq ").append(list.get(list.size() - 1).getSeq()).append("; ");
            });
            return out.toString();
        }

        int total() {
            return byConversation.values().stream().mapToInt(List::size).sum();
        }
    }

    /** App 1 with users 1 (alice) and 2 (bob). */
    static TestServer withAliceAndBob(TestServer server) {
        server.admin().putApp(1, "app");
        server.admin().putUser(1, 1, "alice");
        server.admin().putUser(1, 2, "bob");
        return server;
    }

    static ImClient client(TestServer server, long user, long device, Duration heartbeat) {
        return ImClient.create(ImClientOptions.builder(server.wsUrl())
                .identity(1, user, device, server.admin().token(1, user, device, 3600))
                .requestTimeout(Duration.ofSeconds(10)).heartbeatInterval(heartbeat)
                .reconnect(new Backoff(Duration.ofMillis(300), Duration.ofMillis(300), 0)).build(), resources);
    }

    /** Waits up to 30 s, checking every 20 ms, for what a feed should have received. */
    static ConditionFactory feedWait(String what) {
        return await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20));
    }

    static SendMessage toGroup(long groupId, String text) {
        return ImClientIT.text(groupId, text).toBuilder().setReceiverType(2).build();
    }

    static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void feed_passesEveryMessageOnce_inSeqOrder_whileTheConnectionDropsAgainAndAgain() throws Exception {
        // the server drops bob's silent connection every second; messages sent meanwhile reach him only by catch-up
        try (var server = withAliceAndBob(TestServer.start(b -> b.idleTimeout(Duration.ofSeconds(1))))) {
            long group = server.admin().createGroup(1, "team", 1, List.of(2L));
            var alice = client(server, 1, 1, Duration.ofMillis(300));
            var bob = client(server, 2, 1, Duration.ofSeconds(60));
            var received = new Received();
            var pushes = new AtomicInteger();
            bob.onMessage((c, m) -> pushes.incrementAndGet());
            var feed = MessageFeed.attach(bob, MessageFeed.Start.fromNow(), received);
            try {
                alice.connect().get(10, TimeUnit.SECONDS);
                bob.connect().get(10, TimeUnit.SECONDS);
                // from now = after the feed's first list: a message stored before it would be history
                feed.synced().get(10, TimeUnit.SECONDS);
                MessageItem lastDirect = null;
                MessageItem lastGroup = null;
                for (int i = 1; i <= 200; i++) {
                    lastDirect = alice.sendReliably(ImClientIT.text(2, "d" + i), 5).get(10, TimeUnit.SECONDS);
                    if (i % 2 == 0) {
                        lastGroup = alice.sendReliably(toGroup(group, "g" + i), 5).get(10, TimeUnit.SECONDS);
                    }
                    Thread.sleep(15);
                }
                feedWait("bob's feed holds all 300 messages")
                        .untilAsserted(() -> assertThat(received.total())
                                .as(() -> "it holds " + received.summary() + ", state " + bob.state() + " after "
                                        + bob.reconnects() + " reconnects, " + pushes.get() + " pushes")
                                .isGreaterThanOrEqualTo(300));
                Thread.sleep(300); // a duplicate would come now
                long direct = received.conversationStartingWith("d");
                long groupConversation = received.conversationStartingWith("g");

                assertThat(bob.reconnects()).as("the connection dropped during the run").isPositive();
                assertThat(pushes.get()).as("some messages were missed as pushes").isLessThan(300);
                assertThat(received.seqs(direct)).containsExactlyElementsOf(oneTo(200));
                assertThat(received.texts(direct).get(199)).isEqualTo("d200");
                assertThat(received.seqs(groupConversation)).containsExactlyElementsOf(oneTo(lastGroup.getSeq()));
                assertThat(received.texts(groupConversation)).hasSize(100).endsWith("g200");
                assertThat(lastDirect.getSeq()).isEqualTo(200);
            } finally {
                alice.close();
                bob.close();
            }
        }
    }

    @Test
    void feed_fromACheckpoint_passesOnWhatWasMissedWhileAway_andNothingBefore() throws Exception {
        try (var server = withAliceAndBob(TestServer.start())) {
            long group = server.admin().createGroup(1, "team", 1, List.of(2L));
            var alice = client(server, 1, 1, Duration.ofSeconds(20));
            alice.connect().get(10, TimeUnit.SECONDS);
            try {
                var bob = client(server, 2, 1, Duration.ofSeconds(20));
                var before = new Received();
                var feed = MessageFeed.attach(bob, MessageFeed.Start.fromNow(), before);
                bob.connect().get(10, TimeUnit.SECONDS);
                feed.synced().get(10, TimeUnit.SECONDS);
                for (int i = 1; i <= 5; i++) {
                    alice.sendReliably(ImClientIT.text(2, "early" + i), 1).get(10, TimeUnit.SECONDS);
                    alice.sendReliably(toGroup(group, "early" + i), 1).get(10, TimeUnit.SECONDS);
                }
                feedWait("bob's first feed holds the early messages")
                        .untilAsserted(() -> assertThat(before.total()).isEqualTo(10));
                var checkpoint = feed.checkpoint().get(10, TimeUnit.SECONDS);
                bob.closeAsync().get(10, TimeUnit.SECONDS);

                for (int i = 1; i <= 150; i++) {
                    alice.sendReliably(ImClientIT.text(2, "away" + i), 1).get(10, TimeUnit.SECONDS);
                }
                for (int i = 1; i <= 20; i++) {
                    alice.sendReliably(toGroup(group, "away" + i), 1).get(10, TimeUnit.SECONDS);
                }

                var later = client(server, 2, 1, Duration.ofSeconds(20));
                var after = new Received();
                var resumed = MessageFeed.attach(later, checkpoint, after);
                later.connect().get(10, TimeUnit.SECONDS);
                resumed.synced().get(20, TimeUnit.SECONDS);
                try {
                    var conversations = later.conversations(10, 0).get(10, TimeUnit.SECONDS).getConversationList();
                    long direct = conversations.stream().filter(c -> c.getReceiverType() == 1).findFirst().orElseThrow().getId();
                    long groupConversation = conversations.stream().filter(c -> c.getReceiverType() == 2).findFirst()
                            .orElseThrow().getId();
                    assertThat(after.seqs(direct)).containsExactlyElementsOf(LongStream.rangeClosed(6, 155).boxed().toList());
                    assertThat(after.texts(direct).get(0)).isEqualTo("away1");
                    assertThat(after.seqs(groupConversation)).containsExactlyElementsOf(
                            LongStream.rangeClosed(6, 25).boxed().toList());
                    assertThat(after.total()).isEqualTo(170);
                } finally {
                    later.close();
                }
            } finally {
                alice.close();
            }
        }
    }

    @Test
    void feed_holdsOwnMessages_fromThisAndOtherDevices_onceEach_inOrder() throws Exception {
        try (var server = withAliceAndBob(TestServer.start())) {
            var phone = client(server, 1, 1, Duration.ofSeconds(20));
            var laptop = client(server, 1, 2, Duration.ofSeconds(20));
            var bob = client(server, 2, 1, Duration.ofSeconds(20));
            var received = new Received();
            var feed = MessageFeed.attach(phone, MessageFeed.Start.fromNow(), received);
            try {
                phone.connect().get(10, TimeUnit.SECONDS);
                laptop.connect().get(10, TimeUnit.SECONDS);
                bob.connect().get(10, TimeUnit.SECONDS);
                feed.synced().get(10, TimeUnit.SECONDS);
                var first = feed.send(ImClientIT.text(2, "phone 1"), 3).get(10, TimeUnit.SECONDS);
                laptop.sendReliably(ImClientIT.text(2, "laptop 2"), 3).get(10, TimeUnit.SECONDS);
                bob.sendReliably(ImClientIT.text(1, "bob 3"), 3).get(10, TimeUnit.SECONDS);
                feed.send(ImClientIT.text(2, "phone 4"), 3).get(10, TimeUnit.SECONDS);
                phone.sendReliably(ImClientIT.text(2, "phone 5, not through the feed"), 3).get(10, TimeUnit.SECONDS);
                bob.sendReliably(ImClientIT.text(1, "bob 6"), 3).get(10, TimeUnit.SECONDS);

                feedWait("the phone's feed holds six messages")
                        .untilAsserted(() -> assertThat(received.total()).isGreaterThanOrEqualTo(6));
                Thread.sleep(300);
                long conversation = first.getConversationId();
                assertThat(received.seqs(conversation)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
                assertThat(received.texts(conversation)).containsExactly("phone 1", "laptop 2", "bob 3", "phone 4",
                        "phone 5, not through the feed", "bob 6");
            } finally {
                phone.close();
                laptop.close();
                bob.close();
            }
        }
    }
}
