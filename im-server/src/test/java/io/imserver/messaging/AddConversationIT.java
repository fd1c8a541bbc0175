package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.WsClient;
import org.junit.jupiter.api.Test;
import pb.CreateGroupReq;
import pb.CreateGroupResp;

/** {@code addconversation}: opens or finds the caller's conversation with a user or a group it is in. */
class AddConversationIT extends MessagingTestBase {

    @Test
    void withUser_returnsTheConversationId_andIsIdempotent() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);

        long id = addConversation(a1, USER, bob);
        long again = addConversation(a1, USER, bob);

        assertThat(id).isPositive();
        assertThat(again).isEqualTo(id);
        assertThat(conversations(a1)).singleElement().satisfies(c -> {
            assertThat(c.getId()).isEqualTo(id);
            assertThat(c.getReceiverType()).isEqualTo(USER);
            assertThat(c.getReceiverId()).isEqualTo(bob);
            assertThat(c.getUsername()).isEqualTo("bob");
            assertThat(c.getAvatarUrl()).isEqualTo("https://example.test/" + bob + ".png");
            assertThat(c.getReceiveNum()).isZero();
            assertThat(c.getMessagenewcontent()).isEmpty();
        });
        assertThat(sendText(a1, bob, "now we talk").getConversationId()).isEqualTo(id);
        assertThat(addConversation(a1, USER, bob)).isEqualTo(id);
        assertThat(conversations(a1)).hasSize(1);
    }

    @Test
    void withUserWhoAlreadyWroteToMe_returnsThatConversation_andKeepsItsUnread() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        sendText(a1, bob, "one");
        sendText(a1, bob, "two");
        long bobsConversation = awaitPush(b1).getConversationId();

        assertThat(addConversation(b1, USER, alice)).isEqualTo(bobsConversation);
        assertThat(unreadWith(b1, USER, alice)).isEqualTo(2);
        assertThat(totalUnread(b1)).isEqualTo(2);
    }

    @Test
    void withUnknownUser_isNotFound() {
        long alice = newUser("alice");
        var a1 = signIn(alice, 1);

        assertRefused(addConversationRequest(a1, USER, unknownUser()), ErrorCode.NOT_FOUND);
        assertThat(conversations(a1)).isEmpty();
    }

    @Test
    void withGroupTheCallerIsNotIn_isForbidden_andWithUnknownGroup_isNotFound() {
        long owner = newUser("owner");
        long outsider = newUser("outsider");
        var x1 = signIn(outsider, 1);
        long group = createGroup("closed", owner);

        assertRefused(addConversationRequest(x1, GROUP, group), ErrorCode.FORBIDDEN);
        assertRefused(addConversationRequest(x1, GROUP, group + 1_000_000), ErrorCode.NOT_FOUND);
        assertThat(conversations(x1)).isEmpty();
    }

    @Test
    void withGroupTheCallerIsIn_returnsItsOwnGroupConversation() {
        long owner = newUser("owner");
        long member = newUser("member");
        var o1 = signIn(owner, 1);
        var m1 = signIn(member, 1);
        var created = WsClient.parse(ok(o1.request("creatgroup", CreateGroupReq.newBuilder()
                .setGroup(pb.Group.newBuilder().setName("club").setUserIds(String.valueOf(member))).build())),
                CreateGroupResp.parser());
        long group = created.getGroupLastInsertID();

        assertThat(addConversation(o1, GROUP, group)).isEqualTo(created.getConversationLastInsertID());
        long membersConversation = addConversation(m1, GROUP, group);
        assertThat(membersConversation).isEqualTo(conversationWith(m1, GROUP, group).getId())
                .isNotEqualTo(created.getConversationLastInsertID());
        assertThat(addConversation(m1, GROUP, group)).isEqualTo(membersConversation);
        assertThat(sendGroupText(o1, group, "hi").getConversationId())
                .isEqualTo(created.getConversationLastInsertID());
        assertThat(awaitPush(m1).getConversationId()).isEqualTo(membersConversation);
    }

    @Test
    void withBadTypeOrId_isInvalid() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);

        assertRefused(addConversationRequest(a1, 3, bob), ErrorCode.INVALID_REQUEST);
        assertRefused(addConversationRequest(a1, 0, bob), ErrorCode.INVALID_REQUEST);
        assertRefused(addConversationRequest(a1, USER, 0), ErrorCode.INVALID_REQUEST);
        assertRefused(addConversationRequest(a1, USER, -1), ErrorCode.INVALID_REQUEST);
        assertThat(conversations(a1)).isEmpty();
    }
}
