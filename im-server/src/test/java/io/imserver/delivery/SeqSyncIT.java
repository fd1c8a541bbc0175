package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.APP;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.QUIET;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.conversation;
import static io.imserver.testing.Chat.conversationWith;
import static io.imserver.testing.Chat.newGroup;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.sendTo;
import static io.imserver.testing.Chat.sendToGroup;
import static io.imserver.testing.Chat.signIn;
import static io.imserver.testing.Chat.syncAfter;
import static io.imserver.testing.Chat.syncBefore;
import static io.imserver.testing.Chat.syncByOffset;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pb.MessageItem;
import pb.SyncReq;

/** {@code sync} by seq: {@code after_seq} ascending, {@code before_seq} descending, {@code has_more}, no read marks. */
class SeqSyncIT extends ChatServerTestBase {
    /** The sender sends five texts "m1" … "m5"; returns the receiver's conversation id. */
    private static long fiveMessages(WsClient sender, WsClient receiver, long receiverId) {
        for (int i = 1; i <= 5; i++) {
            sendTo(sender, receiverId, "m" + i);
        }
        long conv = 0;
        for (int i = 1; i <= 5; i++) {
            conv = pushed(receiver).getConversationId();
        }
        return conv;
    }

    @Test
    void afterSeq_returnsLaterMessagesAscending_pageByPage_untilHasMoreIsFalse() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1)) {
            long conv = fiveMessages(alice, bob, b);

            var page1 = syncAfter(bob, conv, 0, 2);
            assertThat(page1.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(1L, 2L);
            assertThat(page1.getMessagesList()).extracting(Chat::textOf).containsExactly("m1", "m2");
            assertThat(page1.getHasMore()).isTrue();
            var page2 = syncAfter(bob, conv, 2, 2);
            assertThat(page2.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(3L, 4L);
            assertThat(page2.getHasMore()).isTrue();
            var page3 = syncAfter(bob, conv, 4, 2);
            assertThat(page3.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(5L);
            assertThat(page3.getHasMore()).isFalse();
            var exact = syncAfter(bob, conv, 3, 2);
            assertThat(exact.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(4L, 5L);
            assertThat(exact.getHasMore()).as("nothing lies beyond seq 5").isFalse();
            var none = syncAfter(bob, conv, 5, 2);
            assertThat(none.getMessagesList()).isEmpty();
            assertThat(none.getHasMore()).isFalse();
            assertThat(page1.getMessages(0).getConversationId()).isEqualTo(conv);
        }
    }

    @Test
    void beforeSeq_returnsEarlierMessagesDescending_pageByPage_untilHasMoreIsFalse() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1)) {
            long conv = fiveMessages(alice, bob, b);

            var page1 = syncBefore(bob, conv, 6, 2);
            assertThat(page1.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(5L, 4L);
            assertThat(page1.getMessagesList()).extracting(Chat::textOf).containsExactly("m5", "m4");
            assertThat(page1.getHasMore()).isTrue();
            var page2 = syncBefore(bob, conv, 4, 2);
            assertThat(page2.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(3L, 2L);
            assertThat(page2.getHasMore()).isTrue();
            var page3 = syncBefore(bob, conv, 2, 2);
            assertThat(page3.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(1L);
            assertThat(page3.getHasMore()).isFalse();
            var exact = syncBefore(bob, conv, 3, 2);
            assertThat(exact.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(2L, 1L);
            assertThat(exact.getHasMore()).as("nothing lies before seq 1").isFalse();
            var none = syncBefore(bob, conv, 1, 2);
            assertThat(none.getMessagesList()).isEmpty();
            assertThat(none.getHasMore()).isFalse();
            var beyondTheHead = syncBefore(bob, conv, 1000, 100);
            assertThat(beyondTheHead.getMessagesList()).extracting(MessageItem::getSeq)
                    .containsExactly(5L, 4L, 3L, 2L, 1L);
        }
    }

    @Test
    void seqSync_marksNothingRead_butOffsetSync_does() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1); var bobsPhone = signIn(server, b, 2)) {
            long conv = fiveMessages(alice, bob, b);
            for (int i = 0; i < 5; i++) {
                pushed(bobsPhone);
            }

            syncAfter(bob, conv, 0, 100);
            syncBefore(bob, conv, 6, 100);
            var untouched = conversation(bob, conv);
            assertThat(untouched.getReadSeq()).isZero();
            assertThat(untouched.getReceiveNum()).isEqualTo(5);
            bobsPhone.assertNoOutput("readsync", QUIET);
            alice.assertNoOutput("receipt", Duration.ZERO);

            var newest = syncByOffset(bob, conv, 2);
            assertThat(newest.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(5L, 4L);
            var read = conversation(bob, conv);
            assertThat(read.getReadSeq()).isEqualTo(5);
            assertThat(read.getReceiveNum()).isZero();
            assertThat(Chat.pushedReceipt(bobsPhone, "readsync").getReadSeq()).isEqualTo(5);
        }
    }

    @Test
    void groupMember_whoJoinedLater_syncsOnlyFromItsJoinSeq() {
        long o = newUser(server);
        long m = newUser(server);
        long late = newUser(server);
        long group = newGroup(server, o, m);
        try (var owner = signIn(server, o, 1)) {
            for (int i = 1; i <= 3; i++) {
                sendToGroup(owner, group, "before " + i);
            }
            server.admin().putMember(APP, group, late);
            try (var latecomer = signIn(server, late, 1)) {
                sendToGroup(owner, group, "after 4");
                sendToGroup(owner, group, "after 5");
                pushed(latecomer);
                pushed(latecomer);
                long conv = conversationWith(latecomer, GROUP, group).getId();

                var item = conversation(latecomer, conv);
                assertThat(item.getLastSeq()).isEqualTo(5);
                assertThat(item.getReadSeq()).as("joined at seq 3").isEqualTo(3);
                assertThat(item.getReceiveNum()).isEqualTo(2);

                var caughtUp = syncAfter(latecomer, conv, 0, 100);
                assertThat(caughtUp.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(4L, 5L);
                assertThat(caughtUp.getMessagesList()).extracting(Chat::textOf).containsExactly("after 4", "after 5");
                assertThat(caughtUp.getHasMore()).isFalse();
                var firstPage = syncAfter(latecomer, conv, 0, 1);
                assertThat(firstPage.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(4L);
                assertThat(firstPage.getHasMore()).isTrue();

                var back = syncBefore(latecomer, conv, 100, 1);
                assertThat(back.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(5L);
                assertThat(back.getHasMore()).isTrue();
                var last = syncBefore(latecomer, conv, 5, 100);
                assertThat(last.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(4L);
                assertThat(last.getHasMore()).as("seqs up to 3 are before the member joined").isFalse();

                // the other member sees the whole stream
                try (var member = signIn(server, m, 1)) {
                    long memberConv = conversationWith(member, GROUP, group).getId();
                    assertThat(syncAfter(member, memberConv, 0, 100).getMessagesList()).extracting(MessageItem::getSeq)
                            .containsExactly(1L, 2L, 3L, 4L, 5L);
                }

                // once removed, the window closes: nothing after the removal
                server.admin().removeMember(APP, group, late);
                sendToGroup(owner, group, "after removal 6");
                var frozen = syncAfter(latecomer, conv, 0, 100);
                assertThat(frozen.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(4L, 5L);
                assertThat(frozen.getHasMore()).isFalse();

                // joining again opens a new window from that moment
                server.admin().putMember(APP, group, late);
                sendToGroup(owner, group, "after rejoining 7");
                var rejoined = syncAfter(latecomer, conv, 0, 100);
                assertThat(rejoined.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(7L);
                assertThat(rejoined.getHasMore()).isFalse();
                assertThat(syncBefore(latecomer, conv, 8, 100).getMessagesList()).extracting(MessageItem::getSeq)
                        .containsExactly(7L);
            }
        }
    }

    @Test
    void afterSeqAndBeforeSeqTogether_areRefusedWith400() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1)) {
            long conv = sendTo(alice, b, "hi").getConversationId();
            var both = alice.request("sync", SyncReq.newBuilder().setConversationId(conv).setAfterSeq(0)
                    .setBeforeSeq(2).build());
            assertThat(both.getCode()).isEqualTo(400);
            assertThat(both.getType()).isEqualTo("sync");
            assertThat(syncAfter(alice, conv, 0, 10).getMessagesCount()).as("the connection carries on").isEqualTo(1);
        }
    }
}
