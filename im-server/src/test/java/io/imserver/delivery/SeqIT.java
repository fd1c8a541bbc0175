package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.conversationWith;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.newGroup;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.sendTo;
import static io.imserver.testing.Chat.sendToGroup;
import static io.imserver.testing.Chat.signIn;
import static io.imserver.testing.Chat.textOf;
import static org.assertj.core.api.Assertions.assertThat;

import pb.ConversationItem;
import pb.MessageItem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every stream numbers its messages 1, 2, 3 … without gaps: each user's 1:1 conversation, and each group. */
class SeqIT extends ChatServerTestBase {
    @Test
    void directMessages_carryGapFreeSeqs_inEachParticipantsOwnStream() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1)) {
            var sent1 = sendTo(alice, b, "one");
            var sent2 = sendTo(alice, b, "two");
            var sent3 = sendTo(alice, b, "three");
            var received = List.of(pushed(bob), pushed(bob), pushed(bob));
            var reply4 = sendTo(bob, a, "four");
            var pushed4 = pushed(alice);
            var sent5 = sendTo(alice, b, "five");
            var received5 = pushed(bob);

            assertThat(List.of(sent1, sent2, sent3, pushed4, sent5)).extracting(MessageItem::getSeq)
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(List.of(received.get(0), received.get(1), received.get(2), reply4, received5))
                    .extracting(MessageItem::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
            long aliceConv = sent1.getConversationId();
            long bobConv = received.get(0).getConversationId();
            assertThat(aliceConv).isNotEqualTo(bobConv);
            assertThat(List.of(sent1, sent2, sent3, pushed4, sent5)).extracting(MessageItem::getConversationId)
                    .containsOnly(aliceConv);
            assertThat(List.of(received.get(0), received.get(1), received.get(2), reply4, received5))
                    .extracting(MessageItem::getConversationId).containsOnly(bobConv);
            // the two copies of one message are two records
            assertThat(received.get(0).getId()).isNotEqualTo(sent1.getId());
            assertThat(reply4.getId()).isNotEqualTo(pushed4.getId());

            var aliceHistory = history(alice, aliceConv);
            var bobHistory = history(bob, bobConv);
            assertThat(aliceHistory).extracting(MessageItem::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(bobHistory).extracting(MessageItem::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(aliceHistory).extracting(Chat::textOf).containsExactly("one", "two", "three", "four", "five");
            assertThat(bobHistory).extracting(Chat::textOf).containsExactly("one", "two", "three", "four", "five");

            // alice sent the newest: all read; bob read by sending "four", then got "five"
            var aliceItem = conversationWith(alice, USER, b);
            assertThat(aliceItem.getLastSeq()).isEqualTo(5);
            assertThat(aliceItem.getReadSeq()).isEqualTo(5);
            assertThat(aliceItem.getReceiveNum()).isZero();
            var bobItem = conversationWith(bob, USER, a);
            assertThat(bobItem.getId()).isEqualTo(bobConv);
            assertThat(bobItem.getLastSeq()).isEqualTo(5);
            assertThat(bobItem.getReadSeq()).isEqualTo(4);
            assertThat(bobItem.getReceiveNum()).isEqualTo(1);
        }
    }

    @Test
    void everyConversation_isItsOwnStream_startingAtOne() {
        long a = newUser(server);
        long b = newUser(server);
        long c = newUser(server);
        try (var alice = signIn(server, a, 1); var carol = signIn(server, c, 1)) {
            assertThat(sendTo(alice, b, "to bob 1").getSeq()).isEqualTo(1);
            assertThat(sendTo(alice, b, "to bob 2").getSeq()).isEqualTo(2);
            var toCarol = sendTo(alice, c, "to carol");
            assertThat(toCarol.getSeq()).isEqualTo(1);
            var carolsCopy = pushed(carol);
            assertThat(carolsCopy.getSeq()).isEqualTo(1);
            assertThat(textOf(carolsCopy)).isEqualTo("to carol");
            var unread = conversationWith(carol, USER, a);
            assertThat(unread.getLastSeq()).isEqualTo(1);
            assertThat(unread.getReadSeq()).isZero();
            assertThat(unread.getReceiveNum()).isEqualTo(1);
        }
    }

    @Test
    void groupMessages_carryOneGapFreeSeqPerGroup_seenInEachMembersOwnConversation() {
        long o = newUser(server);
        long m1 = newUser(server);
        long m2 = newUser(server);
        long group = newGroup(server, o, m1, m2);
        long otherGroup = newGroup(server, o, m1);
        try (var owner = signIn(server, o, 1); var first = signIn(server, m1, 1); var second = signIn(server, m2, 1)) {
            var s1 = sendToGroup(owner, group, "g1");
            var s2 = sendToGroup(first, group, "g2");
            var s3 = sendToGroup(owner, group, "g3");
            var s4 = sendToGroup(second, group, "g4");
            assertThat(List.of(s1, s2, s3, s4)).extracting(MessageItem::getSeq).containsExactly(1L, 2L, 3L, 4L);

            long ownerConv = conversationWith(owner, GROUP, group).getId();
            long firstConv = conversationWith(first, GROUP, group).getId();
            long secondConv = conversationWith(second, GROUP, group).getId();
            assertThat(List.of(ownerConv, firstConv, secondConv)).doesNotHaveDuplicates();
            assertThat(List.of(s1.getConversationId(), s3.getConversationId())).containsOnly(ownerConv);
            assertThat(s2.getConversationId()).isEqualTo(firstConv);
            assertThat(s4.getConversationId()).isEqualTo(secondConv);

            // every member gets the others' messages, in seq order, in its own conversation; one record per message
            var atFirst = List.of(pushed(first), pushed(first), pushed(first));
            assertThat(atFirst).extracting(MessageItem::getSeq).containsExactly(1L, 3L, 4L);
            assertThat(atFirst).extracting(MessageItem::getConversationId).containsOnly(firstConv);
            assertThat(atFirst).extracting(MessageItem::getId).containsExactly(s1.getId(), s3.getId(), s4.getId());
            var atSecond = List.of(pushed(second), pushed(second), pushed(second));
            assertThat(atSecond).extracting(MessageItem::getSeq).containsExactly(1L, 2L, 3L);
            assertThat(atSecond).extracting(MessageItem::getConversationId).containsOnly(secondConv);
            var atOwner = List.of(pushed(owner), pushed(owner));
            assertThat(atOwner).extracting(MessageItem::getSeq).containsExactly(2L, 4L);
            assertThat(atOwner).extracting(MessageItem::getConversationId).containsOnly(ownerConv);

            assertThat(history(second, secondConv)).extracting(MessageItem::getSeq).containsExactly(1L, 2L, 3L, 4L);
            assertThat(history(first, firstConv)).extracting(Chat::textOf).containsExactly("g1", "g2", "g3", "g4");

            // sending marks the group read for the sender: read_seq is the sender's newest message
            assertItem(conversationWith(owner, GROUP, group), 4, 3);
            assertItem(conversationWith(first, GROUP, group), 4, 2);
            assertItem(conversationWith(second, GROUP, group), 4, 4);

            // another group is another stream
            assertThat(sendToGroup(first, otherGroup, "elsewhere").getSeq()).isEqualTo(1);
        }
    }

    private static void assertItem(ConversationItem item, long lastSeq, long readSeq) {
        assertThat(item.getLastSeq()).as("last_seq").isEqualTo(lastSeq);
        assertThat(item.getReadSeq()).as("read_seq").isEqualTo(readSeq);
        assertThat(item.getReceiveNum()).as("receive_num = last_seq - read_seq").isEqualTo(lastSeq - readSeq);
    }
}
