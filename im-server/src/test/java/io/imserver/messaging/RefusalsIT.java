package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pb.CreateGroupReq;
import pb.Group;
import pb.SendMessage;
import pb.SyncReq;
import pb.SyncResp;

/** Requests the server must refuse, with the documented code, leaving the connection usable. */
class RefusalsIT extends MessagingTestBase {

    @Test
    void sync_ofAnotherUsersConversation_isForbidden() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        long eve = newUser("eve");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        var e1 = signIn(eve, 1);
        var sent = sendText(a1, bob, "private");
        var received = awaitPush(b1);

        assertRefused(syncRequest(e1, sent.getConversationId(), 10, 0), ErrorCode.FORBIDDEN);
        assertRefused(syncRequest(e1, received.getConversationId(), 10, 0), ErrorCode.FORBIDDEN);
        assertRefused(syncRequest(a1, received.getConversationId(), 10, 0), ErrorCode.FORBIDDEN);
        assertThat(unreadWith(b1, USER, alice)).as("nothing was marked read").isEqualTo(1);
    }

    @Test
    void sync_ofAnotherMembersGroupConversation_isForbidden_evenForAFellowMember() {
        long owner = newUser("owner");
        long member = newUser("member");
        var o1 = signIn(owner, 1);
        var m1 = signIn(member, 1);
        long group = createGroup("g", owner, member);
        sendGroupText(o1, group, "hi");
        long membersConversation = conversationWith(m1, GROUP, group).getId();

        assertRefused(syncRequest(o1, membersConversation, 10, 0), ErrorCode.FORBIDDEN);
        assertThat(unreadWith(m1, GROUP, group)).as("nothing was marked read").isEqualTo(1);
    }

    @Test
    void sync_ofMissingConversation_isNotFound_andOfBadIdOrMismatchedType_isInvalid() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        long conversation = sendText(a1, bob, "hi").getConversationId();

        assertRefused(syncRequest(a1, 9_000_000, 10, 0), ErrorCode.NOT_FOUND);
        assertRefused(syncRequest(a1, 0, 10, 0), ErrorCode.INVALID_REQUEST);
        assertRefused(a1.request("sync", SyncReq.newBuilder().setConversationId(conversation).setReceiverType(GROUP)
                .build()), ErrorCode.INVALID_REQUEST);
        assertThat(WsClient.parse(ok(a1.request("sync", SyncReq.newBuilder().setConversationId(conversation)
                .setReceiverType(USER).build())), SyncResp.parser()).getMessagesCount()).isEqualTo(1);
    }

    @Test
    void messageread_ofAnotherUsersDirectMessage_isForbidden() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        long eve = newUser("eve");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        var e1 = signIn(eve, 1);
        var alicesRecord = sendText(a1, bob, "for bob");
        var bobsRecord = awaitPush(b1);

        assertRefused(readRequest(e1, bobsRecord.getId()), ErrorCode.FORBIDDEN);
        assertRefused(readRequest(e1, alicesRecord.getId()), ErrorCode.FORBIDDEN);
        assertRefused(readRequest(b1, alicesRecord.getId()), ErrorCode.FORBIDDEN);
        assertThat(unreadWith(b1, USER, alice)).isEqualTo(1);
        read(b1, bobsRecord.getId());
        assertThat(unreadWith(b1, USER, alice)).isZero();
    }

    @Test
    void messageread_ofMessageInGroupTheCallerIsNotIn_isForbidden() {
        long owner = newUser("owner");
        long outsider = newUser("outsider");
        var o1 = signIn(owner, 1);
        var x1 = signIn(outsider, 1);
        long group = createGroup("g", owner);
        var sent = sendGroupText(o1, group, "members only");

        assertRefused(readRequest(x1, sent.getId()), ErrorCode.FORBIDDEN);
        assertThat(conversations(x1)).isEmpty();
    }

    @Test
    void messageread_ofMissingMessage_isNotFound_andOfBadId_isInvalid() {
        long alice = newUser("alice");
        var a1 = signIn(alice, 1);

        assertRefused(readRequest(a1, 9_000_000_000L), ErrorCode.NOT_FOUND);
        assertRefused(readRequest(a1, 0), ErrorCode.INVALID_REQUEST);
        assertRefused(readRequest(a1, -3), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void conversationSettings_ofAnotherUsersConversation_areForbidden_andChangeNothing() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        long eve = newUser("eve");
        var a1 = signIn(alice, 1);
        var e1 = signIn(eve, 1);
        long conversation = sendText(a1, bob, "hi").getConversationId();

        assertRefused(pinRequest(e1, conversation, 2), ErrorCode.FORBIDDEN);
        assertRefused(muteRequest(e1, conversation, 2), ErrorCode.FORBIDDEN);
        assertRefused(pinRequest(e1, 9_000_000, 2), ErrorCode.NOT_FOUND);

        var c = conversationWith(a1, USER, bob);
        assertThat(c.getTop()).isEqualTo(1);
        assertThat(c.getDisturb()).isEqualTo(1);
    }

    @Test
    void unknownCommand_isRefusedWith405_andTheConnectionKeepsWorking() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);

        var reply = a1.request("dropalltables", null);

        assertRefused(reply, ErrorCode.UNKNOWN_COMMAND);
        assertThat(reply.getType()).isEqualTo("dropalltables");
        assertThat(sendText(a1, bob, "still works").getId()).isPositive();
    }

    /** Found by CommandFuzzIT: PostgreSQL cannot store a NUL in text, and the group insert failed with a 500. */
    @ParameterizedTest
    @ValueSource(strings = {"name", "introduction", "avatar"})
    void creatgroup_withANulCharacter_isInvalid_onEveryEngine(String field) {
        long alice = newUser("alice");
        var a1 = signIn(alice, 1);
        var group = Group.newBuilder();
        switch (field) {
            case "name" -> group.setName("bad\u0000name");
            case "introduction" -> group.setName("ok").setIntroduction("bad\u0000intro");
            default -> group.setName("ok").setAvatar("https://cdn.test/\u0000.png");
        }

        var reply = a1.request("creatgroup", CreateGroupReq.newBuilder().setGroup(group).build());

        assertRefused(reply, ErrorCode.INVALID_REQUEST);
        assertThat(reply.getMessage()).contains(field).contains("NUL");
        assertThat(a1.request("creatgroup", CreateGroupReq.newBuilder()
                .setGroup(Group.newBuilder().setName("fine")).build()).getCode()).isEqualTo(200);
    }

    /** A truncated varint: not decodable as any message. */
    private static final byte[] MALFORMED = {0x08};

    @ParameterizedTest
    @ValueSource(strings = {"sendmessage", "getconversationlist", "sync", "messageread", "addconversation",
            "upconversation", "disturbconversation", "getuserinfo", "creatgroup", "groupbyuser"})
    void malformedData_isInvalid_andTheConnectionKeepsWorking(String command) {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);

        var reply = requestRaw(a1, command, MALFORMED);

        assertRefused(reply, ErrorCode.INVALID_REQUEST);
        assertThat(reply.getType()).isEqualTo(command);
        assertThat(sendText(a1, bob, "still works").getId()).isPositive();
    }

    @Test
    void sendmessage_withBadReceiverTypeOrId_isInvalid() {
        long alice = newUser("alice");
        var a1 = signIn(alice, 1);

        assertRefused(a1.request("sendmessage", toUser(0, text("nobody"))), ErrorCode.INVALID_REQUEST);
        assertRefused(a1.request("sendmessage", SendMessage.newBuilder(toUser(alice, text("x")))
                .setReceiverType(3).build()), ErrorCode.INVALID_REQUEST);
        assertRefused(a1.request("sendmessage", null), ErrorCode.INVALID_REQUEST);
        assertThat(conversations(a1)).isEmpty();
    }
}
