package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pb.MessageItem;

/** Exact unread counts in 1:1 chat: {@code receive_num}, {@code chatreadnum}, {@code messageread}, {@code sync}. */
class UnreadCountIT extends MessagingTestBase {

    /** Sends {@code n} texts from {@code from} to {@code to}; returns the receiver's records in order. */
    private static List<MessageItem> exchange(WsClient from, long to, WsClient receiver, int n) {
        return exchange(from, to, receiver, n, new ArrayList<>());
    }

    /** As {@link #exchange(WsClient, long, WsClient, int)}, collecting the sender's records too. */
    private static List<MessageItem> exchange(WsClient from, long to, WsClient receiver, int n,
                                              List<MessageItem> senderRecords) {
        var received = new ArrayList<MessageItem>();
        for (int i = 0; i < n; i++) {
            senderRecords.add(sendText(from, to, "m" + i));
            received.add(awaitPush(receiver));
        }
        return received;
    }

    @Test
    void unread_countsEveryIncomingMessage_andTheSendersOwnStaysZero() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);

        exchange(a1, bob, b1, 3);

        assertThat(unreadWith(b1, USER, alice)).isEqualTo(3);
        assertThat(totalUnread(b1)).isEqualTo(3);
        assertThat(unreadWith(a1, USER, bob)).isZero();
        assertThat(totalUnread(a1)).isZero();
    }

    @Test
    void messageread_marksThatMessageAndEverythingBefore_andNeverMovesBack() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        var received = exchange(a1, bob, b1, 4);

        read(b1, received.get(1).getId());
        assertThat(unreadWith(b1, USER, alice)).isEqualTo(2);
        assertThat(totalUnread(b1)).isEqualTo(2);

        read(b1, received.get(0).getId());
        assertThat(unreadWith(b1, USER, alice)).as("an older receipt does not move the read position back")
                .isEqualTo(2);
        assertThat(totalUnread(b1)).isEqualTo(2);

        read(b1, received.get(1).getId());
        assertThat(totalUnread(b1)).as("the same receipt twice changes nothing").isEqualTo(2);

        read(b1, received.get(3).getId());
        assertThat(unreadWith(b1, USER, alice)).isZero();
        assertThat(totalUnread(b1)).isZero();

        var next = exchange(a1, bob, b1, 1);
        assertThat(unreadWith(b1, USER, alice)).isEqualTo(1);
        read(b1, received.get(2).getId());
        assertThat(unreadWith(b1, USER, alice)).isEqualTo(1);
        read(b1, next.get(0).getId());
        assertThat(unreadWith(b1, USER, alice)).isZero();
    }

    @Test
    void messageread_ofOwnSentRecord_isAllowed_andLeavesCountsExact() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        var mine = new ArrayList<MessageItem>();
        exchange(a1, bob, b1, 2, mine);

        read(a1, mine.get(0).getId());

        assertThat(unreadWith(a1, USER, bob)).isZero();
        assertThat(unreadWith(b1, USER, alice)).as("the sender's receipt is not the receiver's").isEqualTo(2);
    }

    @Test
    void sync_marksReadUpToTheNewestMessageItReturned_andNeverMovesBack() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        var received = exchange(a1, bob, b1, 5);
        long conversation = received.get(0).getConversationId();

        var middle = sync(b1, conversation, 2, 2);
        assertThat(seqs(middle)).containsExactly(3L, 2L);
        assertThat(unreadWith(b1, USER, alice)).as("read up to seq 3 of 5").isEqualTo(2);
        assertThat(totalUnread(b1)).isEqualTo(2);

        var older = sync(b1, conversation, 2, 3);
        assertThat(seqs(older)).containsExactly(2L, 1L);
        assertThat(unreadWith(b1, USER, alice)).as("syncing older messages does not move back").isEqualTo(2);

        var newest = sync(b1, conversation, 1, 0);
        assertThat(seqs(newest)).containsExactly(5L);
        assertThat(unreadWith(b1, USER, alice)).isZero();
        assertThat(totalUnread(b1)).isZero();

        exchange(a1, bob, b1, 2);
        assertThat(unreadWith(b1, USER, alice)).isEqualTo(2);
        assertThat(sync(b1, conversation, 100, 10)).as("a page past the end").isEmpty();
        assertThat(unreadWith(b1, USER, alice)).as("an empty page reads nothing").isEqualTo(2);
        sync(b1, conversation);
        assertThat(unreadWith(b1, USER, alice)).isZero();
    }

    @Test
    void chatreadnum_sumsTheUnreadOfEveryConversation() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        long carol = newUser("carol");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        var c1 = signIn(carol, 1);

        var fromBob = exchange(b1, alice, a1, 2);
        exchange(c1, alice, a1, 3);
        assertThat(totalUnread(a1)).isEqualTo(5);
        assertThat(unreadWith(a1, USER, bob)).isEqualTo(2);
        assertThat(unreadWith(a1, USER, carol)).isEqualTo(3);

        read(a1, fromBob.get(1).getId());
        assertThat(totalUnread(a1)).isEqualTo(3);
        assertThat(unreadWith(a1, USER, bob)).isZero();
        assertThat(unreadWith(a1, USER, carol)).isEqualTo(3);

        sendText(a1, carol, "an answer");
        awaitPush(c1);
        assertThat(unreadWith(a1, USER, carol)).as("sending moves the sender's read position past its message")
                .isZero();
        assertThat(totalUnread(a1)).isZero();
    }

    @Test
    void unread_isPerUser_notPerDevice() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        var b2 = signIn(bob, 2);
        var received = exchange(a1, bob, b1, 2);
        awaitPush(b2);
        awaitPush(b2);

        read(b1, received.get(1).getId());

        assertThat(unreadWith(b2, USER, alice)).isZero();
        assertThat(totalUnread(b2)).isZero();
    }
}
