package io.imserver.delivery;

import io.imserver.testing.Chat;
import static io.imserver.testing.Chat.QUIET;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.makeAdmin;
import static io.imserver.testing.Chat.newGroup;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.recall;
import static io.imserver.testing.Chat.sendTo;
import static io.imserver.testing.Chat.sendToGroup;
import static io.imserver.testing.Chat.signIn;
import static io.imserver.testing.Chat.textOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.MessageItem;

/** {@code recall} after the window (the server's is 1 s here): the sender may not, a group owner/admin still may. */
class RecallWindowIT {
    static final Duration PAST_THE_WINDOW = Duration.ofMillis(1500);

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.recallWindow(Duration.ofSeconds(1)));
        Chat.setUp(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void waitPastTheWindow() throws InterruptedException {
        Thread.sleep(PAST_THE_WINDOW.toMillis());
    }

    @Test
    void theSender_cannotRecallAfterTheWindow_andTheMessageStays() throws InterruptedException {
        long s = newUser(server);
        long r = newUser(server);
        try (var sender = signIn(server, s, 1); var receiver = signIn(server, r, 1)) {
            var sent = sendTo(sender, r, "too late");
            var theirs = pushed(receiver);
            waitPastTheWindow();
            assertThat(recall(sender, sent.getId()).getCode()).isEqualTo(403);
            receiver.assertNoOutput("recalled", QUIET);
            var kept = history(receiver, theirs.getConversationId()).get(0);
            assertThat(kept.getStatus()).isZero();
            assertThat(textOf(kept)).isEqualTo("too late");
        }
    }

    @Test
    void inAGroup_afterTheWindow_anOwnerOrAdminStillRecalls_butTheSenderCannot() throws InterruptedException {
        long o = newUser(server);
        long a = newUser(server);
        long m = newUser(server);
        long group = newGroup(server, o, a, m);
        makeAdmin(server, group, a);
        try (var owner = signIn(server, o, 1); var admin = signIn(server, a, 1); var author = signIn(server, m, 1)) {
            var g1 = sendToGroup(author, group, "g1");
            var g2 = sendToGroup(author, group, "g2");
            var ownOld = sendToGroup(owner, group, "the owner's own, old");
            waitPastTheWindow();

            assertThat(recall(author, g1.getId()).getCode()).isEqualTo(403);
            var byOwner = Chat.ok(recall(owner, g1.getId()), MessageItem.parser());
            assertThat(byOwner.getStatus()).isEqualTo(1);
            var byAdmin = Chat.ok(recall(admin, g2.getId()), MessageItem.parser());
            assertThat(byAdmin.getStatus()).isEqualTo(1);
            assertThat(Chat.ok(recall(owner, ownOld.getId()), MessageItem.parser()).getStatus()).isEqualTo(1);
            assertThat(history(author, g1.getConversationId())).extracting(MessageItem::getStatus)
                    .containsExactly(1, 1, 1);
        }
    }
}
