package io.imserver.app;

import static io.imserver.testing.Chat.APP;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.Chat;
import io.imserver.testing.Closer;
import io.imserver.testing.ServerProcess;
import io.imserver.testing.WsClient;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import pb.MessageItem;
import pb.Output;

/**
 * SIGTERM of a single node (embedded SQLite) while ten clients send: every send read is stored and acknowledged,
 * nothing unacknowledged is stored, clients are told to reconnect (close 1012), the process exits within
 * {@code --shutdown-timeout-s}, and it leaves the database clean (WAL checkpointed away, integrity ok).
 */
@DisabledIfSystemProperty(named = "im.test.db", matches = "postgresql|mariadb")
class GracefulShutdownIT {
    static final int SENDERS = 10;
    static final int SHUTDOWN_TIMEOUT_S = 10;

    @AutoClose
    private final Closer resources = new Closer();

    @Test
    void sigtermWhileClientsSend_answersWhatItRead_tellsClientsToReconnect_andLeavesTheDatabaseClean()
            throws Exception {
        String name = "shutdown-" + System.nanoTime();
        var server = ServerProcess.startSingle(name, null, "--shutdown-timeout-s", Integer.toString(SHUTDOWN_TIMEOUT_S));
        resources.add(server);
        server.admin().putApp(APP, "shutdown");
        for (long u = 1; u <= SENDERS + 1; u++) {
            server.admin().putUser(APP, u, "u" + u);
        }
        var clients = new ArrayList<WsClient>();
        for (long u = 1; u <= SENDERS; u++) {
            clients.add(server.signIn(APP, u, 1));
        }
        var pool = Executors.newFixedThreadPool(SENDERS + 1);
        var outcomes = new ArrayList<Future<List<String>>>();
        for (int k = 0; k < SENDERS; k++) {
            var client = clients.get(k);
            long user = k + 1;
            outcomes.add(pool.submit(() -> sendUntilClosed(client, user)));
        }
        Thread.sleep(1_000);
        long stopAt = System.nanoTime();
        var exit = pool.submit(server::stop);
        // 143 = 128 + SIGTERM: how a JVM exits after its shutdown hooks ran on that signal
        assertThat(exit.get(60, TimeUnit.SECONDS)).as("exit code after SIGTERM").isEqualTo(143);
        long stopMillis = (System.nanoTime() - stopAt) / 1_000_000;
        assertThat(stopMillis).as("exit within the shutdown timeout").isLessThan(SHUTDOWN_TIMEOUT_S * 1_000L);
        var acked = new ArrayList<List<String>>();
        for (var f : outcomes) {
            acked.add(f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        for (var c : clients) {
            assertThat(c.awaitClose(Duration.ofSeconds(5))).as("close status").startsWith("1012");
            c.close();
        }
        assertThat(Files.readString(server.log())).contains("i.i.app.ImServer - stopped").doesNotContain("ERROR");

        // a clean close checkpoints the write-ahead log into the database file and removes it
        var db = server.dataDir().resolve("im.db");
        var wal = server.dataDir().resolve("im.db-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("WAL empty or gone after a clean close").isTrue();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
             var rs = st.executeQuery("PRAGMA integrity_check")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }

        var restarted = ServerProcess.start(name + "-restart", server.dataDir(), List.of());
        resources.add(restarted);
        int total = 0;
        for (int k = 0; k < SENDERS; k++) {
            long user = k + 1;
            try (var reader = restarted.signIn(APP, user, 9)) {
                var stored = history(reader, Chat.conversationWith(reader, USER, SENDERS + 1).getId()).stream()
                        .map(MessageItem::getClientMsgId).toList();
                assertThat(stored).as("stored sends of user %d: exactly the acknowledged ones", user)
                        .containsExactlyElementsOf(acked.get(k));
                total += stored.size();
            }
        }
        System.out.printf("GracefulShutdownIT: %d sends acknowledged and found after restart; exit %d ms after"
                + " SIGTERM (limit %d s)%n", total, stopMillis, SHUTDOWN_TIMEOUT_S);
        assertThat(total).isGreaterThan(SENDERS);
    }

    /**
     * Sends to user 11 (a few requests in flight at a time) until the server closes the connection; every reply
     * must be 200. @return the acknowledged client message ids in order
     */
    private static List<String> sendUntilClosed(WsClient client, long user) {
        var acked = new ArrayList<String>();
        int sent = 0;
        boolean open = true;
        while (true) {
            while (open && sent - acked.size() < 4) {
                try {
                    client.send("sendmessage", text(USER, SENDERS + 1, "m" + sent).toBuilder()
                            .setClientMsgId(user + "-" + sent).build());
                    sent++;
                } catch (RuntimeException e) {
                    open = false; // closed by the server: the replies already received are still read below
                }
            }
            Output reply = client.awaitTypeOrClose("sendmessage", Duration.ofSeconds(15));
            if (reply == null) {
                return acked;
            }
            assertThat(reply.getCode()).as(reply.getMessage()).isEqualTo(200);
            acked.add(WsClient.parse(reply, MessageItem.parser()).getClientMsgId());
        }
    }
}
