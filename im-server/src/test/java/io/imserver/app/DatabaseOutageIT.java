package io.imserver.app;

import static io.imserver.testing.Chat.APP;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imserver.testing.Chat;
import io.imserver.testing.Closer;
import io.imserver.testing.Ledger;
import io.imserver.testing.ServerProcess;
import io.imserver.testing.TcpProxy;
import io.imserver.testing.TestDatabase;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import pb.Output;
import pb.SendMessage;
import pb.SyncReq;

/**
 * The database server becomes unreachable behind a {@link TcpProxy}, first refusing connections, then dropping
 * packets (the case only timeouts notice): sends and reads are answered {@code SERVER_BUSY} (503) within the
 * configured database timeout, connections stay up, {@code /healthz} says the database is down, and once the
 * database is back sends succeed again without a restart, with nothing acknowledged lost.
 * {@code -Dim.test.outage.seconds} sets how long each outage lasts (default 3).
 */
@EnabledIfSystemProperty(named = "im.test.db", matches = "postgresql|mariadb")
class DatabaseOutageIT {
    static final Duration DB_TIMEOUT = Duration.ofMillis(1_000);
    /** What an answer may take beyond the timeout: the reply's way back, a busy CI machine. */
    static final Duration MARGIN = Duration.ofMillis(1_500);
    static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("im.test.outage.seconds", 3));

    @AutoClose
    private final Closer resources = new Closer();

    @Test
    void refusedAndBlackholedDatabase_answersBusyInTime_andServiceResumesByItself() throws Exception {
        var database = TestDatabase.createIfOutside();
        resources.add(database);
        int dbPort = TestDatabase.ENGINE.equals("postgresql") ? 5432 : 3306;
        var proxy = TcpProxy.to("127.0.0.1", dbPort);
        resources.add(proxy);
        var server = ServerProcess.startSingle("outage-" + TestDatabase.ENGINE + "-" + System.nanoTime(),
                database.url().replace(":" + dbPort + "/", ":" + proxy.port() + "/"),
                "--db-timeout-ms", Long.toString(DB_TIMEOUT.toMillis()));
        resources.add(server);
        server.admin().putApp(APP, "outage");
        server.admin().putUser(APP, 1, "u1");
        server.admin().putUser(APP, 2, "u2");
        var alice = server.signIn(APP, 1, 1);
        resources.add(alice);
        var ledger = new Ledger();
        var inDoubt = new ArrayList<SendMessage>();
        int n = 0;
        for (; n < 5; n++) {
            send(alice, n, ledger, inDoubt);
        }
        long conversation = Chat.conversationWith(alice, USER, 2).getId();
        assertThat(ledger.ackedCount()).isEqualTo(5);

        for (String fault : List.of("refused", "blackhole")) {
            if (fault.equals("refused")) {
                proxy.refuse();
            } else {
                proxy.blackhole();
            }
            long cutAt = System.nanoTime();
            long slowest = 0;
            do {
                long started = System.nanoTime();
                var reply = send(alice, n++, ledger, inDoubt);
                long took = System.nanoTime() - started;
                slowest = Math.max(slowest, took);
                assertThat(reply.getCode()).as("%s: send while cut: %s", fault, reply.getMessage()).isEqualTo(503);
                assertThat(Duration.ofNanos(took)).as("%s: send answered within timeout + margin", fault)
                        .isLessThan(DB_TIMEOUT.plus(MARGIN));
                started = System.nanoTime();
                var read = alice.request("sync", SyncReq.newBuilder().setConversationId(conversation).setAfterSeq(0)
                        .setLimit(10).build());
                assertThat(read.getCode()).as("%s: sync while cut: %s", fault, read.getMessage()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DB_TIMEOUT.plus(MARGIN));
                assertThat(alice.request("heartbeat", null).getCode()).as("heartbeat while cut").isEqualTo(200);
            } while (System.nanoTime() - cutAt < OUTAGE.toNanos());
            assertThat(server.admin().call("GET", "/healthz", null, null).status()).as("%s: /healthz", fault)
                    .isEqualTo(503);
            assertThat(server.admin().call("GET", "/healthz", null, null).text()).contains("\"database\":\"down\"");
            long outageMillis = (System.nanoTime() - cutAt) / 1_000_000;

            proxy.restore();
            long restoredAt = System.nanoTime();
            // sends succeed again by themselves: the pool reconnects, the writer takes a new connection
            Output reply;
            while ((reply = send(alice, n, ledger, inDoubt)).getCode() != 200) {
                assertThat(reply.getCode()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - restoredAt)).as("%s: recovery", fault)
                        .isLessThan(Duration.ofSeconds(20));
                Thread.sleep(100);
            }
            n++;
            long recoveryMillis = (System.nanoTime() - restoredAt) / 1_000_000;
            await(fault + ": /healthz 200 again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> server.admin().call("GET", "/healthz", null, null).status() == 200);
            System.out.printf("DatabaseOutageIT[%s] %s: outage %d ms survived, slowest answer while cut %d ms"
                    + " (timeout %d ms), first send stored %d ms after the database returned%n", TestDatabase.ENGINE,
                    fault, outageMillis, slowest / 1_000_000, DB_TIMEOUT.toMillis(), recoveryMillis);
        }
        assertThat(alice.isClosed()).as("the connection stayed up").isFalse();

        // what the outage left in doubt, retried with the same client message ids, is stored once
        for (var message : inDoubt) {
            var reply = alice.request("sendmessage", message);
            assertThat(reply.getCode()).as(reply.getMessage()).isEqualTo(200);
            ledger.acked(message.getClientMsgId());
        }
        var all = history(alice, conversation);
        int found = Ledger.assertStoredOnce("d1-2", all, ledger.ackedStartingWith("o"));
        assertThat(found).isEqualTo(ledger.ackedCount());
        System.out.printf("DatabaseOutageIT[%s]: %d sends acknowledged (%d after a retry of a 503), %d found once%n",
                TestDatabase.ENGINE, ledger.ackedCount(), inDoubt.size(), found);
    }

    private static Output send(WsClient client, int i, Ledger ledger, List<SendMessage> inDoubt) {
        return ledger.send(client, text(USER, 2, "m" + i).toBuilder().setClientMsgId("o" + i).build(), inDoubt);
    }
}
