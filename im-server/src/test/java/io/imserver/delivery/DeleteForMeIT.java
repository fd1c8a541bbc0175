package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.QUIET;
import static io.imserver.testing.Chat.conversation;
import static io.imserver.testing.Chat.conversationWith;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.newGroup;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.sendTo;
import static io.imserver.testing.Chat.sendToGroup;
import static io.imserver.testing.Chat.signIn;
import static io.imserver.testing.Chat.syncBefore;
import static io.imserver.testing.Chat.syncByOffset;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import pb.DeleteMessageReq;
import pb.MessageItem;
import pb.Output;

/** {@code deletemessage}: hidden for the caller only, as a tombstone that keeps its seq; nothing else changes. */
class DeleteForMeIT extends ChatServerTestBase {
    private static Output delete(WsClient client, long messageId) {
        return client.request("deletemessage", DeleteMessageReq.newBuilder().setMessageId(messageId).build());
    }

    private static void assertTombstone(MessageItem m, long id, long seq) {
        assertThat(m.getId()).isEqualTo(id);
        assertThat(m.getSeq()).isEqualTo(seq);
        assertThat(m.getStatus()).as("status").isEqualTo(2);
        assertThat(m.hasMessageBody()).as("message_body of %s", m).isFalse();
    }

    private static void assertIntact(List<MessageItem> history, String... texts) {
        assertThat(history).extracting(MessageItem::getStatus).containsOnly(0);
        assertThat(history).extracting(Chat::textOf).containsExactly(texts);
    }

    @Test
    void directMessage_deletedForMe_isATombstoneForTheCallerOnly_andUnreadCountsStay() {
        long s = newUser(server);
        long r = newUser(server);
        try (var sender = signIn(server, s, 1); var receiver = signIn(server, r, 1)) {
            var sent = List.of(sendTo(sender, r, "m1"), sendTo(sender, r, "m2"), sendTo(sender, r, "m3"));
            var mine = List.of(pushed(receiver), pushed(receiver), pushed(receiver));
            long senderConv = sent.get(0).getConversationId();
            long receiverConv = mine.get(0).getConversationId();

            assertThat(delete(receiver, sent.get(1).getId()).getCode()).as("the sender's copy is not the receiver's")
                    .isEqualTo(403);
            Chat.ok(delete(receiver, mine.get(1).getId()));
            var seen = history(receiver, receiverConv);
            assertThat(seen).extracting(MessageItem::getSeq).containsExactly(1L, 2L, 3L);
            assertTombstone(seen.get(1), mine.get(1).getId(), 2);
            assertThat(List.of(seen.get(0), seen.get(2))).extracting(Chat::textOf).containsExactly("m1", "m3");
            assertThat(syncBefore(receiver, receiverConv, 3, 1).getMessages(0).getStatus()).isEqualTo(2);
            assertIntact(history(sender, senderConv), "m1", "m2", "m3");
            var unread = conversation(receiver, receiverConv);
            assertThat(unread.getReadSeq()).isZero();
            assertThat(unread.getReceiveNum()).isEqualTo(3);
            sender.assertNoOutput("recalled", QUIET);

            // the sender deletes its own copy: the receiver keeps it
            Chat.ok(delete(sender, sent.get(2).getId()));
            var sendersView = history(sender, senderConv);
            assertTombstone(sendersView.get(2), sent.get(2).getId(), 3);
            assertThat(sendersView.get(1).getStatus()).isZero();
            assertThat(history(receiver, receiverConv).get(2).getStatus()).isZero();
            assertThat(conversation(sender, senderConv).getReceiveNum()).isZero();
            assertThat(conversation(receiver, receiverConv).getReceiveNum()).isEqualTo(3);

            // an offset sync shows the tombstone too
            var newest = syncByOffset(receiver, receiverConv, 10);
            assertThat(newest.getMessagesList()).extracting(MessageItem::getSeq).containsExactly(3L, 2L, 1L);
            assertTombstone(newest.getMessages(1), mine.get(1).getId(), 2);
        }
    }

    @Test
    void groupMessage_deletedForMe_isATombstoneForTheCallerOnly_andUnreadCountsStay() {
        long o = newUser(server);
        long m1 = newUser(server);
        long m2 = newUser(server);
        long group = newGroup(server, o, m1, m2);
        try (var owner = signIn(server, o, 1); var first = signIn(server, m1, 1); var second = signIn(server, m2, 1)) {
            var g1 = sendToGroup(owner, group, "g1");
            sendToGroup(owner, group, "g2");
            long firstConv = pushed(first).getConversationId();
            pushed(first);
            long secondConv = conversationWith(second, GROUP, group).getId();
            var before = conversation(first, firstConv);

            Chat.ok(delete(first, g1.getId()));
            var seen = history(first, firstConv);
            assertThat(seen).extracting(MessageItem::getSeq).containsExactly(1L, 2L);
            assertTombstone(seen.get(0), g1.getId(), 1);
            assertThat(Chat.textOf(seen.get(1))).isEqualTo("g2");
            assertIntact(history(second, secondConv), "g1", "g2");
            assertIntact(history(owner, g1.getConversationId()), "g1", "g2");

            var after = conversation(first, firstConv);
            assertThat(after.getReadSeq()).isEqualTo(before.getReadSeq()).isZero();
            assertThat(after.getReceiveNum()).isEqualTo(before.getReceiveNum()).isEqualTo(2);
            assertThat(conversation(second, secondConv).getReceiveNum()).isEqualTo(2);
            assertTombstone(syncByOffset(first, firstConv, 10).getMessages(1), g1.getId(), 1);
        }
    }
}
