package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.QUIET;
import static io.imserver.testing.Chat.conversation;
import static io.imserver.testing.Chat.conversationWith;
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

import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import pb.MessageItem;

/** {@code recall} within the window (the default 120 s): every copy loses its body, every participant is told. */
class RecallIT extends ChatServerTestBase {
    static final String RECALLED = "[消息已撤回]";

    static void assertRecalled(MessageItem m, long id, long conversationId) {
        assertThat(m.getId()).as("id").isEqualTo(id);
        assertThat(m.getConversationId()).as("conversation_id").isEqualTo(conversationId);
        assertThat(m.getStatus()).as("status").isEqualTo(1);
        assertThat(m.hasMessageBody()).as("message_body of %s", m).isFalse();
        assertThat(m.getConversationMessage()).isEqualTo(RECALLED);
    }

    static MessageItem recalled(WsClient client) {
        return Chat.ok(client.awaitType("recalled"), MessageItem.parser());
    }

    static MessageItem recallOk(WsClient client, long messageId) {
        return Chat.ok(recall(client, messageId), MessageItem.parser());
    }

    @Test
    void theSender_recallsWithinTheWindow_everyCopyLosesItsBody_andEveryParticipantIsPushedItsOwnCopy() {
        long s = newUser(server);
        long r = newUser(server);
        try (var sender = signIn(server, s, 1); var sendersPhone = signIn(server, s, 2);
             var receiver = signIn(server, r, 1)) {
            var sent = sendTo(sender, r, "oops");
            var theirs = pushed(receiver);
            pushed(sendersPhone);
            long senderConv = sent.getConversationId();
            long receiverConv = theirs.getConversationId();

            var reply = recallOk(sender, sent.getId());
            assertRecalled(reply, sent.getId(), senderConv);
            assertThat(reply.getSeq()).isEqualTo(sent.getSeq());
            assertRecalled(recalled(receiver), theirs.getId(), receiverConv);
            assertRecalled(recalled(sendersPhone), sent.getId(), senderConv);
            sender.assertNoOutput("recalled", QUIET);

            var senderHistory = history(sender, senderConv);
            assertThat(senderHistory).hasSize(1);
            assertRecalled(senderHistory.get(0), sent.getId(), senderConv);
            var receiverHistory = history(receiver, receiverConv);
            assertThat(receiverHistory).hasSize(1);
            assertRecalled(receiverHistory.get(0), theirs.getId(), receiverConv);
            assertThat(conversation(sender, senderConv).getMessagenewcontent()).isEqualTo(RECALLED);
            assertThat(conversation(receiver, receiverConv).getMessagenewcontent()).isEqualTo(RECALLED);

            // again: 200, nothing changes, nobody is told twice
            assertRecalled(recallOk(sender, sent.getId()), sent.getId(), senderConv);
            receiver.assertNoOutput("recalled", QUIET);
            sendersPhone.assertNoOutput("recalled", Duration.ZERO);
        }
    }

    @Test
    void thePeer_cannotRecallTheSendersMessage() {
        long s = newUser(server);
        long r = newUser(server);
        try (var sender = signIn(server, s, 1); var receiver = signIn(server, r, 1)) {
            var sent = sendTo(sender, r, "mine");
            var theirs = pushed(receiver);
            assertThat(recall(receiver, theirs.getId()).getCode()).as("its own copy of the sender's message")
                    .isEqualTo(403);
            assertThat(recall(receiver, sent.getId()).getCode()).as("the sender's copy").isEqualTo(403);
            sender.assertNoOutput("recalled", QUIET);
            var kept = history(receiver, theirs.getConversationId()).get(0);
            assertThat(kept.getStatus()).isZero();
            assertThat(textOf(kept)).isEqualTo("mine");
            assertThat(textOf(history(sender, sent.getConversationId()).get(0))).isEqualTo("mine");
        }
    }

    @Test
    void inAGroup_anOwnerOrAdminRecallsAnyonesMessage_butAPlainMemberOnlyItsOwn() {
        long o = newUser(server);
        long a = newUser(server);
        long m1 = newUser(server);
        long m2 = newUser(server);
        long group = newGroup(server, o, a, m1, m2);
        makeAdmin(server, group, a);
        try (var owner = signIn(server, o, 1); var admin = signIn(server, a, 1); var author = signIn(server, m1, 1);
             var other = signIn(server, m2, 1)) {
            var g1 = sendToGroup(author, group, "g1");
            var g2 = sendToGroup(author, group, "g2");
            var g3 = sendToGroup(author, group, "g3");
            for (var member : List.of(owner, admin, other)) {
                for (int i = 0; i < 3; i++) {
                    pushed(member);
                }
            }
            long ownerConv = conversationWith(owner, GROUP, group).getId();
            long adminConv = conversationWith(admin, GROUP, group).getId();
            long authorConv = g1.getConversationId();
            long otherConv = conversationWith(other, GROUP, group).getId();

            assertThat(recall(other, g1.getId()).getCode()).as("a plain member, someone else's message")
                    .isEqualTo(403);
            author.assertNoOutput("recalled", QUIET);

            assertRecalled(recallOk(admin, g1.getId()), g1.getId(), adminConv);
            assertRecalled(recalled(owner), g1.getId(), ownerConv);
            assertRecalled(recalled(author), g1.getId(), authorConv);
            assertRecalled(recalled(other), g1.getId(), otherConv);
            admin.assertNoOutput("recalled", QUIET);

            assertRecalled(recallOk(owner, g2.getId()), g2.getId(), ownerConv);
            assertRecalled(recalled(other), g2.getId(), otherConv);
            assertRecalled(recallOk(author, g3.getId()), g3.getId(), authorConv);
            assertRecalled(recalled(other), g3.getId(), otherConv);

            var seen = history(other, otherConv);
            assertThat(seen).hasSize(3);
            assertThat(seen).extracting(MessageItem::getStatus).containsOnly(1);
            assertThat(seen).noneMatch(MessageItem::hasMessageBody);
            assertThat(conversation(other, otherConv).getMessagenewcontent()).isEqualTo(RECALLED);
            assertThat(recall(other, sendToGroup(other, group, "my own").getId()).getCode()).isEqualTo(200);
        }
    }

    @Test
    void inAGroup_aMemberWhoJoinedAfterTheMessage_isNotToldOfItsRecall() {
        long o = newUser(server);
        long m = newUser(server);
        long late = newUser(server);
        long group = newGroup(server, o, m);
        try (var owner = signIn(server, o, 1); var member = signIn(server, m, 1)) {
            var before = sendToGroup(owner, group, "before you joined");
            pushed(member);
            server.admin().putMember(Chat.APP, group, late);
            try (var latecomer = signIn(server, late, 1)) {
                recallOk(owner, before.getId());
                assertThat(recalled(member).getId()).isEqualTo(before.getId());
                latecomer.assertNoOutput("recalled", QUIET);
                assertThat(history(latecomer, conversationWith(latecomer, GROUP, group).getId())).isEmpty();
            }
        }
    }
}
