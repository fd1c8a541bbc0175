package io.imserver.app;

import static io.imserver.testing.Chat.APP;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.Chat;
import io.imserver.testing.Ledger;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import pb.Output;
import pb.SendMessage;
import pb.SyncReq;

/**
 * The embedded SQLite database cannot grow (its disk is full): sends are answered {@code SERVER_BUSY} (503, never
 * 500), reads and the connection keep working, {@code /healthz} says the database is down; once space is freed,
 * sends succeed again without a restart and nothing acknowledged is lost.
 *
 * @implNote A full disk is made with SQLite's {@code max_page_count} in the JDBC URL (the file may not grow past
 *     its size at start): SQLite answers SQLITE_FULL, as for a full disk. Space is "freed" by dropping a ballast
 *     table from another connection: its pages go to the free list, which the server's writes then reuse.
 */
@DisabledIfSystemProperty(named = "im.test.db", matches = "postgresql|mariadb")
class FullDiskIT {

    @Test
    void fullDisk_answersBusy_keepsReading_andResumesWhenSpaceReturns() throws Exception {
        Path dataDir;
        var ledger = new Ledger();
        try (var first = TestServer.start()) {
            Chat.setUp(first);
            first.admin().putUser(APP, 1, "u1");
            first.admin().putUser(APP, 2, "u2");
            try (var alice = first.signIn(APP, 1, 1)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(send(alice, i, ledger, new ArrayList<>()).getCode()).isEqualTo(200);
                }
            }
            dataDir = first.dataDir();
        }
        var file = dataDir.resolve("im.db");
        long pages;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("CREATE TABLE ballast (b BLOB)");
            st.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 256)"
                    + " INSERT INTO ballast SELECT randomblob(8192) FROM n");
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            try (var rs = st.executeQuery("PRAGMA page_count")) {
                rs.next();
                pages = rs.getLong(1);
            }
        }
        try (var server = TestServer.start(b -> b.dataDir(dataDir)
                .dbUrl("jdbc:sqlite:" + file + "?max_page_count=" + pages));
             var alice = server.signIn(APP, 1, 1)) {
            long conversation = Chat.conversationWith(alice, USER, 2).getId();
            var inDoubt = new ArrayList<SendMessage>();
            int n = 3;
            int busy = 0;
            // leaf pages with room take a few more rows; then every write needs a page the file may not grow by
            for (; n < 2_000 && busy < 5; n++) {
                var reply = send(alice, n, ledger, inDoubt);
                assertThat(reply.getCode()).as("send on a full disk: %s", reply.getMessage()).isIn(200, 503);
                if (reply.getCode() == 503) {
                    busy++;
                }
            }
            assertThat(busy).as("sends refused once the disk is full").isEqualTo(5);
            var read = alice.request("sync", SyncReq.newBuilder().setConversationId(conversation).setAfterSeq(0)
                    .setLimit(10).build());
            assertThat(read.getCode()).as("a read on a full disk").isEqualTo(200);
            assertThat(alice.request("heartbeat", null).getCode()).isEqualTo(200);
            var health = server.admin().call("GET", "/healthz", null, null);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.text()).contains("\"database\":\"down\"");

            freeSpace(file);
            Output reply;
            long freedAt = System.nanoTime();
            while ((reply = send(alice, n, ledger, inDoubt)).getCode() != 200) {
                assertThat(reply.getCode()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - freedAt)).isLessThan(Duration.ofSeconds(10));
                Thread.sleep(100);
            }
            assertThat(server.admin().call("GET", "/healthz", null, null).status()).isEqualTo(200);
            for (var message : inDoubt) {
                var retried = alice.request("sendmessage", message);
                assertThat(retried.getCode()).as(retried.getMessage()).isEqualTo(200);
                ledger.acked(message.getClientMsgId());
            }
            int found = Ledger.assertStoredOnce("d1-2", history(alice, conversation), ledger.ackedStartingWith("f"));
            assertThat(found).isEqualTo(ledger.ackedCount());
            System.out.printf("FullDiskIT: %d sends refused with 503 on the full disk, %d acknowledged in all,"
                    + " %d found once%n", inDoubt.size(), ledger.ackedCount(), found);
        }
    }

    private static void freeSpace(Path file) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file + "?busy_timeout=10000");
             var st = c.createStatement()) {
            st.execute("DROP TABLE ballast");
        }
    }

    private static Output send(WsClient client, int i, Ledger ledger, List<SendMessage> inDoubt) {
        return ledger.send(client, text(USER, 2, "m" + i).toBuilder().setClientMsgId("f" + i).build(), inDoubt);
    }
}
