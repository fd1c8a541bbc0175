package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.QUIET;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.conversationWith;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.newGroup;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.sendTo;
import static io.imserver.testing.Chat.signIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import pb.OnlineReq;
import pb.OnlineResp;
import pb.Output;
import pb.TypingNotice;
import pb.TypingReq;

/** Transient signals: {@code typing} relayed as push {@code peertyping}, and {@code online}. */
class TypingAndOnlineIT extends ChatServerTestBase {
    private static Output typing(WsClient client, int receiverType, long receiverId) {
        return client.request("typing", TypingReq.newBuilder().setReceiverType(receiverType).setReceiverId(receiverId)
                .build());
    }

    private static TypingNotice notice(WsClient client) {
        return Chat.ok(client.awaitType("peertyping"), TypingNotice.parser());
    }

    private static List<Long> online(WsClient client, List<Long> userIds) {
        return Chat.ok(client.request("online", OnlineReq.newBuilder().addAllUserIds(userIds).build()),
                OnlineResp.parser()).getOnlineUserIdsList();
    }

    @Test
    void typingToAUser_reachesEveryDeviceOfThePeer_withThePeersConversation_andTheSenderGetsOnlyTheReply() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var alicesPhone = signIn(server, a, 2); var bob = signIn(server, b, 1);
             var bobsPhone = signIn(server, b, 2)) {
            sendTo(alice, b, "hello");
            long bobsConv = pushed(bob).getConversationId();
            pushed(bobsPhone);
            pushed(alicesPhone);

            var reply = typing(alice, USER, b);
            assertThat(reply.getCode()).isEqualTo(200);
            assertThat(reply.getData().isEmpty()).isTrue();
            for (var device : List.of(bob, bobsPhone)) {
                var n = notice(device);
                assertThat(n.getSenderId()).isEqualTo(a);
                assertThat(n.getReceiverType()).isEqualTo(USER);
                assertThat(n.getConversationId()).as("the peer's own conversation").isEqualTo(bobsConv);
            }
            alice.assertNoOutput("peertyping", QUIET);
            alicesPhone.assertNoOutput("peertyping", Duration.ZERO);
            // never stored
            bob.assertNoOutput("message", Duration.ZERO);
            assertThat(history(bob, bobsConv)).hasSize(1);
        }
    }

    @Test
    void typingToAUserWithoutAConversation_carriesConversationZero() {
        long c = newUser(server);
        long d = newUser(server);
        try (var carol = signIn(server, c, 1); var dave = signIn(server, d, 1)) {
            Chat.ok(typing(carol, USER, d));
            var n = notice(dave);
            assertThat(n.getSenderId()).isEqualTo(c);
            assertThat(n.getConversationId()).isZero();
        }
    }

    @Test
    void typingInAGroup_reachesTheOtherMembers_inTheirOwnConversations() {
        long a = newUser(server);
        long b = newUser(server);
        long c = newUser(server);
        long outsider = newUser(server);
        long group = newGroup(server, a, b, c);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1); var carol = signIn(server, c, 1);
             var stranger = signIn(server, outsider, 1)) {
            Chat.ok(typing(alice, GROUP, group));
            for (var member : List.of(bob, carol)) {
                var n = notice(member);
                assertThat(n.getSenderId()).isEqualTo(a);
                assertThat(n.getReceiverType()).isEqualTo(GROUP);
                assertThat(n.getReceiverId()).isEqualTo(group);
                assertThat(n.getConversationId()).isEqualTo(conversationWith(member, GROUP, group).getId());
            }
            alice.assertNoOutput("peertyping", QUIET);

            assertThat(typing(stranger, GROUP, group).getCode()).as("not a member").isEqualTo(403);
            bob.assertNoOutput("peertyping", QUIET);
        }
    }

    @Test
    void online_answersExactlyTheSignedInUsersAmongThoseAsked() {
        long asker = newUser(server);
        long on1 = newUser(server);
        long on2 = newUser(server);
        long off = newUser(server);
        long notAsked = newUser(server);
        try (var me = signIn(server, asker, 1); var first = signIn(server, on1, 1);
             var notAskedDevice = signIn(server, notAsked, 1)) {
            var second = signIn(server, on2, 1);
            assertThat(online(me, List.of(on1, on2, off, on1))).containsExactlyInAnyOrder(on1, on2);
            assertThat(online(me, List.of())).isEmpty();
            assertThat(online(me, List.of(off))).isEmpty();

            second.close();
            // the server notices the close shortly after; wait for it without assuming how long it takes
            await("the closed device's user offline").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(online(me, List.of(on1, on2, off))).containsExactly(on1));

            var hundred = LongStream.rangeClosed(1, 100).boxed().toList();
            assertThat(me.request("online", OnlineReq.newBuilder().addAllUserIds(hundred).build()).getCode())
                    .isEqualTo(200);
            var tooMany = LongStream.rangeClosed(1, 101).boxed().toList();
            assertThat(me.request("online", OnlineReq.newBuilder().addAllUserIds(tooMany).build()).getCode())
                    .isEqualTo(400);
        }
    }
}
