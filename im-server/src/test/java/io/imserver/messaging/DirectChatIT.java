package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import pb.SendMessage;

/** 1:1 chat (write diffusion) between users with several devices. */
class DirectChatIT extends MessagingTestBase {

    @Test
    void text_isPushedToBothReceiverDevicesAndSendersOtherDevice_andOnlyRepliedToTheSendingDevice() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var a2 = signIn(alice, 2);
        var b1 = signIn(bob, 1);
        var b2 = signIn(bob, 2);
        var body = text("hello bob");

        long before = System.currentTimeMillis();
        var sent = send(a1, toUser(bob, body));
        long after = System.currentTimeMillis();

        assertThat(sent.getId()).isPositive();
        assertThat(sent.getConversationId()).isPositive();
        assertThat(sent.getSendTime()).isBetween(before, after);
        assertThat(sent.getSeq()).isEqualTo(1);
        assertThat(sent.getSenderType()).isEqualTo(2);
        assertThat(sent.getSenderId()).isEqualTo(alice);
        assertThat(sent.getSenderName()).isEqualTo("alice");
        assertThat(sent.getReceiverType()).isEqualTo(USER);
        assertThat(sent.getReceiverId()).isEqualTo(bob);
        assertThat(sent.getMessageBody()).isEqualTo(body);
        assertThat(sent.getConversationMessage()).isEqualTo("hello bob");
        assertThat(sent.getStatus()).isZero();

        assertThat(awaitPush(a2)).as("sender's other device gets the sender's record").isEqualTo(sent);

        var onB1 = awaitPush(b1);
        var onB2 = awaitPush(b2);
        assertThat(onB2).as("both receiver devices get the same record").isEqualTo(onB1);
        assertThat(onB1.getId()).as("the receiver's own record").isPositive().isNotEqualTo(sent.getId());
        assertThat(onB1.getConversationId()).as("the receiver's own conversation").isPositive()
                .isNotEqualTo(sent.getConversationId());
        assertThat(onB1.getSeq()).isEqualTo(1);
        assertThat(onB1.getSenderId()).isEqualTo(alice);
        assertThat(onB1.getReceiverId()).as("the addressee as sent").isEqualTo(bob);
        assertThat(onB1.getReceiverType()).isEqualTo(USER);
        assertThat(onB1.getSendTime()).isEqualTo(sent.getSendTime());
        assertThat(onB1.getMessageBody()).isEqualTo(body);
        assertThat(onB1.getConversationMessage()).isEqualTo("hello bob");

        a1.assertNoOutput(PUSH, QUIET);

        var aliceSide = conversationWith(a1, USER, bob);
        var bobSide = conversationWith(b1, USER, alice);
        assertThat(aliceSide.getId()).isEqualTo(sent.getConversationId());
        assertThat(bobSide.getId()).isEqualTo(onB1.getConversationId());
        assertThat(aliceSide.getReceiverId()).as("ConversationItem.receiver_id is the peer").isEqualTo(bob);
        assertThat(bobSide.getReceiverId()).as("ConversationItem.receiver_id is the peer").isEqualTo(alice);
        assertThat(bobSide.getUsername()).isEqualTo("alice");
        assertThat(aliceSide.getUsername()).isEqualTo("bob");
        assertThat(bobSide.getSenderId()).isEqualTo(alice);
        assertThat(bobSide.getMessagenewcontent()).isEqualTo("hello bob");
        assertThat(bobSide.getUpdateTime()).as("Unix seconds").isEqualTo(sent.getSendTime() / 1000);

        assertThat(sync(a1, sent.getConversationId())).containsExactly(sent);
        assertThat(sync(b2, onB1.getConversationId())).containsExactly(onB1);
    }

    @Test
    void bodyWithAFieldTheServerDoesNotKnow_isRepliedPushedAndSyncedByteForByteAsSent() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var a2 = signIn(alice, 2);
        var b1 = signIn(bob, 1);
        var body = textFromANewerClient("from a newer client");

        var sent = send(a1, toUser(bob, body));
        var onB1 = awaitPush(b1);

        assertThat(sent.getMessageBody().toByteString()).isEqualTo(body.toByteString());
        assertThat(onB1.getMessageBody().toByteString()).isEqualTo(body.toByteString());
        assertThat(awaitPush(a2)).isEqualTo(sent);
        assertThat(sync(a1, sent.getConversationId())).containsExactly(sent);
        assertThat(sync(b1, onB1.getConversationId())).containsExactly(onB1);
    }

    @Test
    void reply_goesIntoTheSameTwoConversations_withTheNextSeqOnEachSide() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);

        var first = sendText(a1, bob, "hi");
        var firstOnBob = awaitPush(b1);
        var answer = sendText(b1, alice, "hi yourself");
        var answerOnAlice = awaitPush(a1);

        assertThat(answer.getConversationId()).isEqualTo(firstOnBob.getConversationId());
        assertThat(answer.getSeq()).isEqualTo(2);
        assertThat(answer.getReceiverId()).isEqualTo(alice);
        assertThat(answerOnAlice.getConversationId()).isEqualTo(first.getConversationId());
        assertThat(answerOnAlice.getSeq()).isEqualTo(2);
        assertThat(answerOnAlice.getId()).isNotEqualTo(answer.getId());
        b1.assertNoOutput(PUSH, QUIET);

        assertThat(ids(sync(a1, first.getConversationId()))).containsExactly(answerOnAlice.getId(), first.getId());
        assertThat(ids(sync(b1, answer.getConversationId()))).containsExactly(answer.getId(), firstOnBob.getId());
    }

    @Test
    void sendingToUnknownUser_isNotFound_andStoresNothing() {
        long alice = newUser("alice");
        var a1 = signIn(alice, 1);
        var a2 = signIn(alice, 2);

        var reply = a1.request("sendmessage", toUser(unknownUser(), text("anyone there?")));

        assertRefused(reply, ErrorCode.NOT_FOUND);
        assertThat(conversations(a1)).isEmpty();
        a2.assertNoOutput(PUSH, QUIET);
    }

    @Test
    void sendingToOneself_storesOneRecord_andPushesItToOnlyTheOtherDevices() {
        long alice = newUser("alice");
        var a1 = signIn(alice, 1);
        var a2 = signIn(alice, 2);

        var sent = sendText(a1, alice, "note to self");

        assertThat(awaitPush(a2)).isEqualTo(sent);
        a1.assertNoOutput(PUSH, QUIET);
        assertThat(sync(a2, sent.getConversationId())).containsExactly(sent);
        assertThat(conversations(a1)).singleElement()
                .satisfies(c -> assertThat(c.getReceiverId()).isEqualTo(alice))
                .satisfies(c -> assertThat(c.getReceiveNum()).isZero());
    }

    @Test
    void senderFieldsFromTheClient_areReplacedByTheServers() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        long before = System.currentTimeMillis();

        var sent = send(a1, SendMessage.newBuilder(toUser(bob, text("spoof?")))
                .setSenderType(2).setSenderId(bob).setSenderName("mallory").setSenderAvatar("x").setSendTime(1)
                .setStatus(3).addToUserIds(bob).setHelp(2).build());
        var pushed = awaitPush(b1);

        for (var item : new pb.MessageItem[] {sent, pushed}) {
            assertThat(item.getSenderId()).isEqualTo(alice);
            assertThat(item.getSenderName()).isEqualTo("alice");
            assertThat(item.getSenderAvatar()).isEqualTo("https://example.test/" + alice + ".png");
            assertThat(item.getSendTime()).isGreaterThanOrEqualTo(before);
            assertThat(item.getStatus()).isZero();
            assertThat(item.getToUserIdsList()).as("to_user_ids is ignored in single chat").isEmpty();
            assertThat(item.getHelp()).as("help is the client's").isEqualTo(2);
        }
    }

    @Test
    void sendingAsSystem_isForbidden() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);

        var reply = a1.request("sendmessage", SendMessage.newBuilder(toUser(bob, text("I am the system")))
                .setSenderType(1).build());

        assertRefused(reply, ErrorCode.FORBIDDEN);
        b1.assertNoOutput(PUSH, QUIET);
    }
}
