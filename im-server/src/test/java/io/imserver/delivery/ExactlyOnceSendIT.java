package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.QUIET;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.newGroup;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.send;
import static io.imserver.testing.Chat.signIn;
import static io.imserver.testing.Chat.text;
import static io.imserver.testing.Chat.textOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import pb.MessageItem;
import pb.SendMessage;

/** {@code client_msg_id}: a retry of a send stores and pushes nothing and answers with the first record. */
class ExactlyOnceSendIT extends ChatServerTestBase {
    private static SendMessage withId(int receiverType, long receiverId, String text, String clientMsgId) {
        return text(receiverType, receiverId, text).toBuilder().setClientMsgId(clientMsgId).build();
    }

    @Test
    void sameClientMsgIdTwice_answersWithTheSameMessage_storedOnce_andPushedOnce() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var alicesPhone = signIn(server, a, 2); var bob = signIn(server, b, 1)) {
            var first = send(alice, withId(USER, b, "hello once", "dup-1"));
            var received = pushed(bob);
            var mirrored = pushed(alicesPhone);
            assertThat(first.getClientMsgId()).isEqualTo("dup-1");
            assertThat(received.getClientMsgId()).as("on every copy").isEqualTo("dup-1");
            assertThat(mirrored.getId()).isEqualTo(first.getId());

            // a retry, even with another body, is answered with the record of the first attempt
            var retry = send(alice, withId(USER, b, "hello twice", "dup-1"));
            assertThat(retry.getId()).isEqualTo(first.getId());
            assertThat(retry.getSeq()).isEqualTo(first.getSeq());
            assertThat(retry.getConversationId()).isEqualTo(first.getConversationId());
            assertThat(textOf(retry)).isEqualTo("hello once");
            bob.assertNoOutput("message", QUIET);
            alicesPhone.assertNoOutput("message", Duration.ZERO);

            assertThat(history(bob, received.getConversationId())).extracting(MessageItem::getId)
                    .containsExactly(received.getId());
            assertThat(history(alice, first.getConversationId())).extracting(MessageItem::getId)
                    .containsExactly(first.getId());
        }
    }

    @Test
    void aRetryAfterTheReplyWasLost_getsTheOriginalMessage_andNothingIsStoredOrPushedAgain() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alicesPhone = signIn(server, a, 2); var bob = signIn(server, b, 1)) {
            // the send reaches the server, but the connection drops before the reply is read
            var lost = signIn(server, a, 1);
            lost.send("sendmessage", withId(USER, b, "sent into the void", "lost-reply-1"));
            lost.close();
            var received = pushed(bob);
            var original = pushed(alicesPhone);
            assertThat(textOf(received)).isEqualTo("sent into the void");

            // the client reconnects on the same device, signs in again, and resends with the same id
            try (var alice = signIn(server, a, 1)) {
                var retry = send(alice, withId(USER, b, "sent into the void", "lost-reply-1"));
                assertThat(retry.getId()).isEqualTo(original.getId());
                assertThat(retry.getSeq()).isEqualTo(original.getSeq()).isEqualTo(1);
                bob.assertNoOutput("message", QUIET);
                alicesPhone.assertNoOutput("message", Duration.ZERO);
                assertThat(history(alice, retry.getConversationId())).extracting(MessageItem::getId)
                        .containsExactly(original.getId());
                assertThat(history(bob, received.getConversationId())).extracting(MessageItem::getId)
                        .containsExactly(received.getId());
            }
        }
    }

    @Test
    void sameClientMsgIdTwice_inAGroup_storesOneMessage_andMembersArePushedOnce() {
        long o = newUser(server);
        long m = newUser(server);
        long group = newGroup(server, o, m);
        try (var owner = signIn(server, o, 1); var member = signIn(server, m, 1)) {
            var first = send(owner, withId(GROUP, group, "to all", "group-dup-1"));
            var received = pushed(member);
            assertThat(received.getId()).isEqualTo(first.getId());
            var retry = send(owner, withId(GROUP, group, "to all", "group-dup-1"));
            assertThat(retry.getId()).isEqualTo(first.getId());
            assertThat(retry.getSeq()).isEqualTo(1);
            assertThat(retry.getConversationId()).isEqualTo(first.getConversationId());
            member.assertNoOutput("message", QUIET);
            assertThat(history(member, received.getConversationId())).hasSize(1);
        }
    }

    @Test
    void clientMsgIdsDifferingOnlyInCase_areTwoMessages_onEveryEngine() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1)) {
            var upper = send(alice, withId(USER, b, "first", "Case-1"));
            var lower = send(alice, withId(USER, b, "second", "case-1"));

            assertThat(lower.getId()).isNotEqualTo(upper.getId());
            assertThat(textOf(lower)).isEqualTo("second");
            assertThat(java.util.List.of(pushed(bob), pushed(bob))).extracting(MessageItem::getClientMsgId)
                    .containsExactly("Case-1", "case-1");
            assertThat(history(alice, upper.getConversationId())).hasSize(2);
        }
    }

    @Test
    void differentClientMsgIds_areTwoMessages_andIdsAreUniquePerSenderOnly() {
        long a = newUser(server);
        long b = newUser(server);
        long c = newUser(server);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1); var carol = signIn(server, c, 1)) {
            var one = send(alice, withId(USER, b, "same text", "id-1"));
            var two = send(alice, withId(USER, b, "same text", "id-2"));
            assertThat(two.getId()).isNotEqualTo(one.getId());
            assertThat(two.getSeq()).isEqualTo(2);
            // another sender's id is its own
            var carols = send(carol, withId(USER, b, "same text", "id-1"));
            assertThat(carols.getId()).isNotEqualTo(one.getId());
            assertThat(carols.getSeq()).isEqualTo(1);
            assertThat(java.util.List.of(pushed(bob), pushed(bob), pushed(bob))).extracting(MessageItem::getClientMsgId)
                    .containsExactlyInAnyOrder("id-1", "id-2", "id-1");
            // no client_msg_id: every send is a new message
            var plain1 = send(alice, text(USER, b, "no id"));
            var plain2 = send(alice, text(USER, b, "no id"));
            assertThat(plain2.getId()).isNotEqualTo(plain1.getId());
            assertThat(history(alice, one.getConversationId())).hasSize(4);
        }
    }

    @Test
    void clientMsgIdLongerThan64Characters_isRefusedWith400_andNothingIsStored() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1)) {
            var refused = alice.request("sendmessage", withId(USER, b, "too long", "x".repeat(65)));
            assertThat(refused.getCode()).isEqualTo(400);
            bob.assertNoOutput("message", QUIET);
            var longest = send(alice, withId(USER, b, "just fits", "y".repeat(64)));
            assertThat(longest.getClientMsgId()).hasSize(64);
            assertThat(longest.getSeq()).as("the refused send took no seq").isEqualTo(1);
        }
    }

    @Test
    void clientMsgIdWithANulCharacter_isRefusedWith400_onEveryEngine_andTheConnectionCarriesOn() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1)) {
            var refused = alice.request("sendmessage", withId(USER, b, "nul", "id\u0000x"));
            assertThat(refused.getCode()).isEqualTo(400);
            assertThat(refused.getMessage()).contains("NUL");
            bob.assertNoOutput("message", QUIET);
            assertThat(send(alice, withId(USER, b, "fine", "idx")).getSeq()).isEqualTo(1);
        }
    }
}
