package io.imserver.cluster;

import static io.imserver.testing.Chat.APP;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imserver.testing.Chat;
import io.imserver.testing.ClusterNode;
import io.imserver.testing.TestDatabase;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pb.MessageItem;
import pb.OnlineReq;
import pb.OnlineResp;
import pb.Output;

/**
 * A node of three dies by SIGKILL under steady traffic (PostgreSQL, Redis): senders on the other nodes see no error,
 * the dead node's senders reconnect to a survivor and retry what was unanswered with the same client message id,
 * and afterwards every acknowledged message is stored exactly once, seqs gap-free; the dead node's presence is gone
 * within its TTL.
 */
class ClusterFailoverIT {
    static final int PRESENCE_TTL_S = 3;
    static final int MESSAGES_PER_SENDER = 120;

    private final List<ClusterNode> nodes = new ArrayList<>();
    private TestDatabase database;

    @AfterEach
    void stop() {
        nodes.forEach(ClusterNode::close);
        if (database != null) {
            database.close();
        }
    }

    /** What a sender ended with: the acknowledged records by client message id, and the errors it saw. */
    record SenderResult(long user, long peer, Map<String, MessageItem> acked, List<String> errors, int reconnects) {
    }

    @Test
    void killingANodeMidStream_losesNothingAcknowledged_andOtherNodesCarryOn() throws Exception {
        database = TestDatabase.create("postgresql");
        String cluster = "imt-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            nodes.add(ClusterNode.start(cluster, "node" + i, database.url(), PRESENCE_TTL_S));
        }
        var doomed = nodes.get(0);
        var survivor = nodes.get(1);
        doomed.admin().putApp(APP, "failover");
        // pairs (sender -> peer): two senders on the doomed node, four on the survivors, all across nodes
        long[][] pairs = {{1, 2}, {3, 4}, {2, 1}, {4, 3}, {5, 6}, {6, 5}};
        int[] home = {0, 0, 1, 2, 1, 2};
        for (long user = 1; user <= 7; user++) {
            survivor.admin().putUser(APP, user, "u" + user);
        }
        // user 7 is signed in on the doomed node only: its presence must disappear with the node
        var idle = doomed.signIn(APP, 7, 1);
        var pool = Executors.newFixedThreadPool(pairs.length);
        var halfway = new CountDownLatch(2);
        var futures = new ArrayList<Future<SenderResult>>();
        for (int i = 0; i < pairs.length; i++) {
            long user = pairs[i][0];
            long peer = pairs[i][1];
            var node = nodes.get(home[i]);
            boolean onDoomed = home[i] == 0;
            futures.add(pool.submit(() -> sendSteadily(node, survivor, user, peer, onDoomed ? halfway : null)));
        }
        assertThat(halfway.await(60, TimeUnit.SECONDS)).as("the doomed node's senders got halfway").isTrue();
        doomed.kill();
        long killedAt = System.nanoTime();

        var results = new ArrayList<SenderResult>();
        for (var f : futures) {
            results.add(f.get(180, TimeUnit.SECONDS));
        }
        pool.shutdown();

        // senders on the surviving nodes saw no error at all
        for (int i = 0; i < results.size(); i++) {
            if (home[i] != 0) {
                assertThat(results.get(i).errors()).as("errors of sender %d on node%d", results.get(i).user(), home[i])
                        .isEmpty();
                assertThat(results.get(i).acked()).hasSize(MESSAGES_PER_SENDER);
            } else {
                assertThat(results.get(i).reconnects()).as("sender %d reconnected to a survivor", results.get(i).user())
                        .isEqualTo(1);
                assertThat(results.get(i).acked()).hasSize(MESSAGES_PER_SENDER);
            }
        }

        // every acknowledged message is stored exactly once, in both copies, with gap-free seqs
        for (var r : results) {
            try (var reader = survivor.signIn(APP, r.user(), 50)) {
                var conversation = Chat.conversationWith(reader, USER, r.peer()).getId();
                var all = history(reader, conversation);
                ClusterTestBase.assertGapFree(all, all.size());
                var mine = all.stream().filter(m -> m.getSenderId() == r.user()).toList();
                var byClientId = mine.stream().collect(Collectors.groupingBy(MessageItem::getClientMsgId,
                        Collectors.counting()));
                assertThat(byClientId.keySet()).containsExactlyInAnyOrderElementsOf(r.acked().keySet());
                assertThat(byClientId.values()).allMatch(n -> n == 1);
            }
        }

        // the dead node's presence is gone within its TTL (plus a heartbeat)
        try (var asker = survivor.signIn(APP, 1, 60)) {
            await("user 7, on the killed node only, offline").atMost(Duration.ofSeconds(PRESENCE_TTL_S + 2))
                    .pollInterval(Duration.ofMillis(50)).until(() -> Chat.ok(asker.request("online",
                            OnlineReq.newBuilder().addUserIds(7).build()), OnlineResp.parser())
                            .getOnlineUserIdsCount() == 0);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(60));
        idle.close();
    }

    @Test
    void sigterm_drainsTheNode_answersWhatItRead_andTellsClientsToReconnect() throws Exception {
        database = TestDatabase.create("postgresql");
        String cluster = "imt-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 2; i++) {
            nodes.add(ClusterNode.start(cluster, "node" + i, database.url(), PRESENCE_TTL_S));
        }
        var draining = nodes.get(0);
        var other = nodes.get(1);
        draining.admin().putApp(APP, "drain");
        other.admin().putUser(APP, 1, "u1");
        other.admin().putUser(APP, 2, "u2");
        var client = draining.signIn(APP, 1, 1);
        // a burst of sends in flight, then SIGTERM
        int burst = 200;
        for (int i = 0; i < burst; i++) {
            client.send("sendmessage", text(USER, 2, "d" + i).toBuilder().setClientMsgId("d" + i).build());
        }
        var stopping = Executors.newSingleThreadExecutor().submit(draining::stop);
        var acked = new ArrayList<String>();
        Output reply;
        while ((reply = client.awaitTypeOrClose("sendmessage", Duration.ofSeconds(15))) != null) {
            assertThat(reply.getCode()).as(reply.getMessage()).isEqualTo(200);
            acked.add(WsClient.parse(reply, MessageItem.parser()).getClientMsgId());
        }
        assertThat(client.awaitClose(Duration.ofSeconds(15))).startsWith("1012");
        // 143 = 128 + SIGTERM: how a JVM exits after its shutdown hooks ran on that signal
        assertThat(stopping.get(60, TimeUnit.SECONDS)).as("exit code after SIGTERM").isEqualTo(143);
        assertThat(java.nio.file.Files.readString(draining.log())).contains("i.i.app.ImServer - stopped")
                .doesNotContain("ERROR");
        client.close();

        // everything answered is stored, once; nothing is stored that the client was not told about beyond the
        // commands the node had read (those were answered before the close)
        try (var reader = other.signIn(APP, 1, 2)) {
            var conversation = Chat.conversationWith(reader, USER, 2).getId();
            var stored = history(reader, conversation).stream().map(MessageItem::getClientMsgId).toList();
            assertThat(stored).containsExactlyElementsOf(acked);
        }
        // the node left at once: the survivor sees it gone well before its TTL would have expired
        await("node0 gone from the survivor's live nodes").atMost(Duration.ofMillis(1_000))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> !other.admin().call("GET", "/healthz", null, null).body().get("live_nodes").toString()
                        .contains("node0"));
    }

    /**
     * Sends {@link #MESSAGES_PER_SENDER} messages with client message ids, one at a time. When its node dies
     * under a request, it signs in on {@code fallback} and sends the unanswered message again with the same id.
     */
    private static SenderResult sendSteadily(ClusterNode node, ClusterNode fallback, long user, long peer,
                                             CountDownLatch halfway) {
        var acked = new ConcurrentHashMap<String, MessageItem>();
        var errors = new ArrayList<String>();
        int reconnects = 0;
        var client = node.signIn(APP, user, 1);
        try {
            for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
                String clientId = user + "-" + i;
                var message = text(USER, peer, "m" + i).toBuilder().setClientMsgId(clientId).build();
                Output reply = null;
                try {
                    client.send("sendmessage", message);
                    reply = client.awaitTypeOrClose("sendmessage", Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    // the socket is gone: reconnect below
                }
                if (reply == null) {
                    if (halfway == null || reconnects > 0) {
                        errors.add("no reply to " + clientId + " (connection " + (client.isClosed() ? "closed" : "open")
                                + ")");
                        continue;
                    }
                    client.close();
                    client = fallback.signIn(APP, user, 1);
                    reconnects++;
                    client.send("sendmessage", message);
                    reply = client.awaitTypeOrClose("sendmessage", Duration.ofSeconds(10));
                    if (reply == null) {
                        errors.add("no reply to the retry of " + clientId);
                        continue;
                    }
                }
                if (reply.getCode() != 200) {
                    errors.add(clientId + ": " + reply.getCode() + " " + reply.getMessage());
                    continue;
                }
                acked.put(clientId, WsClient.parse(reply, MessageItem.parser()));
                if (halfway != null && i == MESSAGES_PER_SENDER / 2) {
                    halfway.countDown();
                }
                Thread.sleep(5); // steady, not flat out: every sender is still sending when the node dies
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
        return new SenderResult(user, peer, acked, errors, reconnects);
    }
}
