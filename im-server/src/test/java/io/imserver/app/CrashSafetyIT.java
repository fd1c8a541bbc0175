package io.imserver.app;

import static io.imserver.testing.Chat.APP;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.Chat;
import io.imserver.testing.Closer;
import io.imserver.testing.Ledger;
import io.imserver.testing.ServerProcess;
import io.imserver.testing.TestDatabase;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import pb.MessageItem;
import pb.Output;

/**
 * SIGKILL of a single server under steady traffic (20 senders, 1:1 and group), then a restart on the same data:
 * every acknowledged send is stored exactly once in its stream, seqs are gap-free, unread counts match the stored
 * messages, and the sends left in doubt, retried with their client message ids, are stored once. On SQLite and
 * PostgreSQL (MariaDB: the same store code, left out for time). {@code -Dim.test.crash.seconds} sets how long the
 * traffic runs before the kill (default 3).
 */
@DisabledIfSystemProperty(named = "im.test.db", matches = "mariadb")
class CrashSafetyIT {
    static final int SENDERS = 20;
    static final Duration TRAFFIC = Duration.ofSeconds(Long.getLong("im.test.crash.seconds", 3));

    @AutoClose
    private final Closer resources = new Closer();

    /** Users 1..20; 1:1 pairs (1,2), (3,4)...; group A of users 1-10, group B of users 11-20. */
    @Test
    void sigkillMidStream_losesNoAcknowledgedMessage_andStoresNoneTwice() throws Exception {
        var database = TestDatabase.createIfOutside();
        if (database != null) {
            resources.add(database);
        }
        String dbUrl = database == null ? null : database.url();
        String name = "crash-" + TestDatabase.ENGINE + "-" + System.nanoTime();
        var server = ServerProcess.startSingle(name, dbUrl);
        resources.add(server);
        server.admin().putApp(APP, "crash");
        for (long u = 1; u <= SENDERS; u++) {
            server.admin().putUser(APP, u, "u" + u);
        }
        long groupA = server.admin().createGroup(APP, "A", 1, List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L));
        long groupB = server.admin().createGroup(APP, "B", 11, List.of(12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L));

        var ledger = new Ledger();
        var pending = new ConcurrentHashMap<String, pb.SendMessage>();
        var errors = new ConcurrentHashMap<String, String>();
        var pool = Executors.newFixedThreadPool(SENDERS);
        var clients = new ArrayList<WsClient>();
        for (long u = 1; u <= SENDERS; u++) {
            clients.add(server.signIn(APP, u, 1));
        }
        for (int k = 0; k < SENDERS; k++) {
            long user = k + 1;
            var client = clients.get(k);
            long group = user <= 10 ? groupA : groupB;
            pool.submit(() -> sendUntilCut(client, user, group, ledger, pending, errors));
        }
        Thread.sleep(TRAFFIC.toMillis());
        server.kill();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        clients.forEach(WsClient::close);
        assertThat(errors).as("sends refused before the kill").isEmpty();
        int ackedBeforeKill = ledger.ackedCount();
        var inDoubt = ledger.inDoubt();

        var restarted = ServerProcess.start(name + "-restart", server.dataDir(),
                dbUrl == null ? List.of() : List.of("--db-url", dbUrl));
        resources.add(restarted);
        // the sends the kill left unanswered, once more with the same client message id: stored at most once
        try (var retrier = new Retrier(restarted)) {
            for (var id : inDoubt) {
                var reply = retrier.client(senderOf(id)).request("sendmessage", pending.get(id));
                assertThat(reply.getCode()).as("%s retried: %s", id, reply.getMessage()).isEqualTo(200);
                ledger.acked(id);
            }
        }

        int found = 0;
        for (long u = 1; u <= SENDERS; u += 2) {
            try (var reader = restarted.signIn(APP, u, 9)) {
                var conversation = Chat.conversationWith(reader, USER, u + 1);
                var all = history(reader, conversation.getId());
                String stream = "d" + u + "-" + (u + 1) + "/";
                found += Ledger.assertStoredOnce(stream, all, ledger.ackedStartingWith(stream));
                assertUnreadMatches(conversation, all, u);
            }
        }
        for (long[] g : new long[][] {{groupA, 1}, {groupB, 11}}) {
            try (var reader = restarted.signIn(APP, g[1], 9)) {
                var conversation = Chat.conversationWith(reader, GROUP, g[0]);
                var all = history(reader, conversation.getId());
                String stream = "g" + g[0] + "/";
                found += Ledger.assertStoredOnce(stream, all, ledger.ackedStartingWith(stream));
                assertUnreadMatches(conversation, all, g[1]);
            }
        }
        System.out.printf("CrashSafetyIT[%s]: %d acknowledged before SIGKILL, %d in doubt (retried), %d acknowledged"
                + " in all, %d found exactly once after restart%n", TestDatabase.ENGINE, ackedBeforeKill,
                inDoubt.size(), ledger.ackedCount(), found);
        assertThat(found).isEqualTo(ledger.ackedCount());
        assertThat(ackedBeforeKill).as("traffic before the kill").isGreaterThanOrEqualTo(SENDERS * 2);
    }

    /** The caller's unread count is the messages of others after its read position. */
    private static void assertUnreadMatches(pb.ConversationItem conversation, List<MessageItem> all, long me) {
        assertThat(conversation.getLastSeq()).isEqualTo(all.size());
        long unread = all.stream().filter(m -> m.getSeq() > conversation.getReadSeq() && m.getSenderId() != me)
                .count();
        assertThat(conversation.getReceiveNum()).as("unread of user %d in %d", me, conversation.getId())
                .isEqualTo(unread);
    }

    /** Client message ids name their stream: {@code dA-B/} for users A < B, {@code gG/} for group G. */
    private static void sendUntilCut(WsClient client, long user, long group, Ledger ledger,
                                     Map<String, pb.SendMessage> pending, Map<String, String> errors) {
        long peer = user % 2 == 1 ? user + 1 : user - 1;
        String direct = "d" + Math.min(user, peer) + "-" + Math.max(user, peer) + "/" + user + "-";
        for (int i = 0; ; i++) {
            boolean toGroup = i % 2 == 1;
            String id = (toGroup ? "g" + group + "/" + user + "-" : direct) + i;
            var message = (toGroup ? text(GROUP, group, "m" + i) : text(USER, peer, "m" + i)).toBuilder()
                    .setClientMsgId(id).build();
            pending.put(id, message);
            ledger.inDoubt(id);
            Output reply;
            try {
                client.send("sendmessage", message);
                reply = client.awaitTypeOrClose("sendmessage", Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                return; // the socket died with the server
            }
            if (reply == null) {
                return;
            }
            if (reply.getCode() != 200) {
                errors.put(id, reply.getCode() + " " + reply.getMessage());
                return;
            }
            ledger.acked(WsClient.parse(reply, MessageItem.parser()).getClientMsgId());
        }
    }

    private static long senderOf(String clientMsgId) {
        var afterSlash = clientMsgId.substring(clientMsgId.indexOf('/') + 1);
        return Long.parseLong(afterSlash.substring(0, afterSlash.indexOf('-')));
    }

    /** One signed-in client per user, opened on first use. */
    private static final class Retrier implements AutoCloseable {
        private final ServerProcess server;
        private final Map<Long, WsClient> clients = new java.util.HashMap<>();

        Retrier(ServerProcess server) {
            this.server = server;
        }

        WsClient client(long user) {
            return clients.computeIfAbsent(user, u -> server.signIn(APP, u, 1));
        }

        @Override
        public void close() {
            clients.values().forEach(WsClient::close);
        }
    }
}
