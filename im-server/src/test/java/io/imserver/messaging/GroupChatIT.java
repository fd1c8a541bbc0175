package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pb.CreateGroupReq;
import pb.CreateGroupResp;
import pb.GetUserGroupsReq;
import pb.GetUserGroupsResp;
import pb.MessageItem;
import pb.SendMessage;

/** Group chat (read diffusion): one record per message, per-member conversations and read indexes, membership. */
class GroupChatIT extends MessagingTestBase {

    /** A member signed in on two devices. */
    private record Member(long id, WsClient first, WsClient second) {
    }

    private Member member(String name) {
        long id = newUser(name);
        return new Member(id, signIn(id, 1), signIn(id, 2));
    }

    /** The device's next pushes are exactly these messages (by record id), in this order. */
    private static void assertPushes(WsClient device, MessageItem... expected) {
        for (var m : expected) {
            assertThat(awaitPush(device).getId()).isEqualTo(m.getId());
        }
    }

    @Test
    void messageInGroupCreatedByAdminApi_isOneRecordPushedToEveryMemberWithItsOwnConversation() {
        var owner = member("owner");
        var m1 = member("m1");
        var m2 = member("m2");
        long group = createGroup("team", owner.id(), m1.id(), m2.id());

        assertOneRecordPerMessage(group, owner, m1, m2);
    }

    @Test
    void groupBodyWithAFieldTheServerDoesNotKnow_isRepliedPushedAndSyncedByteForByteAsSent() {
        var owner = member("owner");
        var m1 = member("m1");
        long group = createGroup("newer clients", owner.id(), m1.id());
        var body = textFromANewerClient("from a newer client");

        var sent = send(owner.first(), toGroup(group, body));
        var onM1 = awaitPush(m1.first());

        assertThat(sent.getMessageBody().toByteString()).isEqualTo(body.toByteString());
        assertThat(onM1.getMessageBody().toByteString()).isEqualTo(body.toByteString());
        assertThat(awaitPush(owner.second())).isEqualTo(sent);
        assertThat(sync(owner.first(), sent.getConversationId())).containsExactly(sent);
        assertThat(sync(m1.first(), onM1.getConversationId())).containsExactly(onM1);
    }

    @Test
    void messageInGroupCreatedByCreatgroup_isOneRecordPushedToEveryMemberWithItsOwnConversation() {
        var owner = member("owner");
        var m1 = member("m1");
        var m2 = member("m2");

        var created = WsClient.parse(ok(owner.first().request("creatgroup", CreateGroupReq.newBuilder()
                .setGroup(pb.Group.newBuilder().setName("made by command").setUserIds(m1.id() + "," + m2.id()))
                .setLastInsertID(999_999)
                .build())), CreateGroupResp.parser());
        long group = created.getGroupLastInsertID();

        assertThat(group).isPositive();
        var ownersConversation = conversationWith(owner.first(), GROUP, group);
        assertThat(created.getConversationLastInsertID()).isEqualTo(ownersConversation.getId());
        assertThat(ownersConversation.getUsername()).isEqualTo("made by command");
        for (var m : List.of(m1, m2)) {
            var c = conversationWith(m.first(), GROUP, group);
            assertThat(c.getUsername()).isEqualTo("made by command");
            assertThat(c.getReceiveNum()).isZero();
        }
        var ownersGroups = WsClient.parse(ok(owner.first().request("groupbyuser",
                GetUserGroupsReq.newBuilder().setType(1).build())), GetUserGroupsResp.parser());
        assertThat(ownersGroups.getGroupsList()).singleElement()
                .satisfies(g -> assertThat(g.getGroupId()).isEqualTo(group))
                .satisfies(g -> assertThat(g.getUserMum()).isEqualTo(3));

        assertOneRecordPerMessage(group, owner, m1, m2);
    }

    private static CreateGroupReq creatgroup(String name, String userIds) {
        return CreateGroupReq.newBuilder().setGroup(pb.Group.newBuilder().setName(name).setUserIds(userIds)).build();
    }

    private static List<Long> managedGroups(WsClient client) {
        return WsClient.parse(ok(client.request("groupbyuser", GetUserGroupsReq.newBuilder().setType(1).build())),
                GetUserGroupsResp.parser()).getGroupsList().stream().map(pb.Group::getGroupId).toList();
    }

    @Test
    void creatgroup_toleratesSpacesDuplicatesAndTheCallerInUserIds() {
        var owner = member("owner");
        var m1 = member("m1");

        var created = WsClient.parse(ok(owner.first().request("creatgroup",
                creatgroup("tidy", " " + m1.id() + " , " + owner.id() + "," + m1.id() + ","))), CreateGroupResp.parser());

        long group = created.getGroupLastInsertID();
        assertThat(managedGroups(owner.first())).containsExactly(group);
        var m1Groups = WsClient.parse(ok(m1.first().request("groupbyuser", GetUserGroupsReq.newBuilder().setType(2)
                .build())), GetUserGroupsResp.parser()).getGroupsList();
        assertThat(m1Groups).singleElement().satisfies(g -> assertThat(g.getUserMum()).isEqualTo(2));
    }

    @Test
    void creatgroup_withUnknownMember_isNotFound_andWithBadUserIds_isInvalid_andCreatesNothing() {
        var owner = member("owner");
        var m1 = member("m1");

        assertRefused(owner.first().request("creatgroup", creatgroup("bad", m1.id() + "," + unknownUser())),
                ErrorCode.NOT_FOUND);
        assertRefused(owner.first().request("creatgroup", creatgroup("bad", m1.id() + ",bob")),
                ErrorCode.INVALID_REQUEST);

        assertThat(managedGroups(owner.first())).isEmpty();
        assertThat(conversations(owner.first())).isEmpty();
        assertThat(conversations(m1.first())).isEmpty();
    }

    @Test
    void senderName_inAGroup_isTheMembersLabelWhenSet() {
        var owner = member("owner");
        var m1 = member("m1");
        long group = createGroup("labels", owner.id(), m1.id());
        var r = admin.call("PUT", "/api/v1/apps/" + APP + "/groups/" + group + "/members/" + m1.id(),
                Map.of("label", "Captain"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);

        var sent = sendGroupText(m1.first(), group, "aye");

        assertThat(sent.getSenderName()).isEqualTo("Captain");
        assertThat(awaitPush(owner.first()).getSenderName()).isEqualTo("Captain");
        assertThat(conversationWith(owner.first(), GROUP, group).getSenderName()).isEqualTo("Captain");
    }

    private void assertOneRecordPerMessage(long group, Member owner, Member m1, Member m2) {
        long ownerConversation = conversationWith(owner.first(), GROUP, group).getId();
        long m1Conversation = conversationWith(m1.first(), GROUP, group).getId();
        long m2Conversation = conversationWith(m2.first(), GROUP, group).getId();
        assertThat(List.of(ownerConversation, m1Conversation, m2Conversation)).doesNotHaveDuplicates();

        var body = text("hello team");
        var sent = send(owner.first(), toGroup(group, body));
        assertThat(sent.getId()).isPositive();
        assertThat(sent.getSeq()).isEqualTo(1);
        assertThat(sent.getReceiverType()).isEqualTo(GROUP);
        assertThat(sent.getReceiverId()).isEqualTo(group);
        assertThat(sent.getSenderId()).isEqualTo(owner.id());
        assertThat(sent.getConversationId()).isEqualTo(ownerConversation);
        assertThat(sent.getMessageBody()).isEqualTo(body);

        assertThat(awaitPush(owner.second())).as("sender's other device").isEqualTo(sent);
        owner.first().assertNoOutput(PUSH, QUIET);
        for (var m : List.of(m1, m2)) {
            long own = m == m1 ? m1Conversation : m2Conversation;
            for (var device : List.of(m.first(), m.second())) {
                var pushed = awaitPush(device);
                assertThat(pushed.getId()).as("the one record").isEqualTo(sent.getId());
                assertThat(pushed.getConversationId()).as("the member's own conversation").isEqualTo(own);
                assertThat(pushed.toBuilder().setConversationId(ownerConversation).build()).isEqualTo(sent);
            }
        }

        var reply = send(m1.first(), toGroup(group, text("hi owner")));
        assertThat(reply.getSeq()).isEqualTo(2);
        assertThat(reply.getConversationId()).isEqualTo(m1Conversation);
        assertThat(awaitPush(m1.second())).isEqualTo(reply);
        m1.first().assertNoOutput(PUSH, QUIET);
        for (var device : List.of(owner.first(), owner.second())) {
            var pushed = awaitPush(device);
            assertThat(pushed.getId()).isEqualTo(reply.getId());
            assertThat(pushed.getConversationId()).isEqualTo(ownerConversation);
        }
        for (var device : List.of(m2.first(), m2.second())) {
            var pushed = awaitPush(device);
            assertThat(pushed.getId()).isEqualTo(reply.getId());
            assertThat(pushed.getConversationId()).isEqualTo(m2Conversation);
        }

        var expectedIds = List.of(reply.getId(), sent.getId());
        assertThat(ids(sync(owner.second(), ownerConversation))).isEqualTo(expectedIds);
        assertThat(ids(sync(m1.second(), m1Conversation))).isEqualTo(expectedIds);
        var m2Sees = sync(m2.first(), m2Conversation);
        assertThat(ids(m2Sees)).isEqualTo(expectedIds);
        assertThat(m2Sees).allSatisfy(m -> assertThat(m.getConversationId()).isEqualTo(m2Conversation));
    }

    @Test
    void unread_followsEachMembersOwnReadIndex_andTheSendersStaysZero() {
        var owner = member("owner");
        var m1 = member("m1");
        var m2 = member("m2");
        long group = createGroup("readers", owner.id(), m1.id(), m2.id());

        var first = sendGroupText(owner.first(), group, "one");
        sendGroupText(owner.first(), group, "two");
        var third = sendGroupText(owner.first(), group, "three");

        assertThat(unreadWith(owner.first(), GROUP, group)).isZero();
        assertThat(totalUnread(owner.first())).isZero();
        assertThat(unreadWith(m1.first(), GROUP, group)).isEqualTo(3);
        assertThat(unreadWith(m2.first(), GROUP, group)).isEqualTo(3);
        assertThat(totalUnread(m1.first())).isEqualTo(3);

        read(m1.first(), first.getId());
        assertThat(unreadWith(m1.first(), GROUP, group)).isEqualTo(2);
        assertThat(totalUnread(m1.second())).isEqualTo(2);
        assertThat(unreadWith(m2.first(), GROUP, group)).as("m2's index did not move").isEqualTo(3);

        read(m2.first(), third.getId());
        read(m2.first(), first.getId());
        assertThat(unreadWith(m2.first(), GROUP, group)).as("reads never move back").isZero();
        assertThat(unreadWith(m1.first(), GROUP, group)).isEqualTo(2);

        sendGroupText(m2.first(), group, "four");
        assertThat(unreadWith(m2.first(), GROUP, group)).isZero();
        assertThat(unreadWith(m1.first(), GROUP, group)).isEqualTo(3);
        assertThat(unreadWith(owner.first(), GROUP, group)).isEqualTo(1);

        var page = sync(m1.first(), conversationWith(m1.first(), GROUP, group).getId(), 2, 1);
        assertThat(seqs(page)).containsExactly(3L, 2L);
        assertThat(unreadWith(m1.first(), GROUP, group)).as("sync read up to seq 3 of 4").isEqualTo(1);
        sync(owner.first(), conversationWith(owner.first(), GROUP, group).getId());
        assertThat(unreadWith(owner.first(), GROUP, group)).isZero();
        assertThat(totalUnread(owner.first())).isZero();
        assertThat(totalUnread(m1.first())).isEqualTo(1);
    }

    @Test
    void nonMember_cannotSend_andNobodyIsPushed() {
        var owner = member("owner");
        var m1 = member("m1");
        long outsider = newUser("outsider");
        var x1 = signIn(outsider, 1);
        long group = createGroup("closed", owner.id(), m1.id());

        assertRefused(x1.request("sendmessage", toGroup(group, text("let me in"))), ErrorCode.FORBIDDEN);
        assertRefused(x1.request("sendmessage", toGroup(group + 1_000_000, text("no such group"))),
                ErrorCode.NOT_FOUND);

        m1.first().assertNoOutput(PUSH, QUIET);
        owner.first().assertNoOutput(PUSH, QUIET);
        assertThat(sync(m1.first(), conversationWith(m1.first(), GROUP, group).getId())).isEmpty();
        assertThat(conversations(x1)).isEmpty();
    }

    @Test
    void memberAddedLater_seesOnlyMessagesSentAfterJoining() {
        var owner = member("owner");
        var m1 = member("m1");
        long late = newUser("late");
        var l1 = signIn(late, 1);
        long group = createGroup("history", owner.id(), m1.id());
        var before1 = sendGroupText(owner.first(), group, "before 1");
        var before2 = sendGroupText(m1.first(), group, "before 2");
        assertPushes(owner.second(), before1, before2);

        admin.putMember(APP, group, late);

        var joined = conversationWith(l1, GROUP, group);
        assertThat(joined.getReceiveNum()).isZero();
        assertThat(totalUnread(l1)).isZero();
        assertThat(sync(l1, joined.getId())).isEmpty();
        l1.assertNoOutput(PUSH, QUIET);
        assertRefused(readRequest(l1, before1.getId()), ErrorCode.FORBIDDEN);

        var after = sendGroupText(owner.first(), group, "after");
        var pushed = awaitPush(l1);
        assertThat(pushed.getId()).isEqualTo(after.getId());
        assertThat(pushed.getConversationId()).isEqualTo(joined.getId());
        assertThat(unreadWith(l1, GROUP, group)).isEqualTo(1);
        assertThat(conversationWith(l1, GROUP, group).getMessagenewcontent()).isEqualTo("after");

        var fromLate = sendGroupText(l1, group, "hello all");
        assertPushes(m1.first(), before1, after, fromLate);
        assertThat(ids(sync(l1, joined.getId()))).containsExactly(fromLate.getId(), after.getId());
        assertThat(unreadWith(l1, GROUP, group)).isZero();
        assertThat(ids(sync(m1.first(), conversationWith(m1.first(), GROUP, group).getId()))).hasSize(4);
    }

    @Test
    void removedMember_keepsOldMessages_getsNothingNew_andCannotSend() {
        var owner = member("owner");
        var m1 = member("m1");
        var m2 = member("m2");
        long group = createGroup("shrinking", owner.id(), m1.id(), m2.id());
        long m1Conversation = conversationWith(m1.first(), GROUP, group).getId();
        var old = sendGroupText(owner.first(), group, "while you were here");
        for (var device : List.of(m1.first(), m1.second(), m2.first(), owner.second())) {
            assertPushes(device, old);
        }

        admin.removeMember(APP, group, m1.id());

        var later = sendGroupText(owner.first(), group, "after you left");
        assertPushes(m2.first(), later);
        assertPushes(owner.second(), later);
        m1.first().assertNoOutput(PUSH, QUIET);
        m1.second().assertNoOutput(PUSH, QUIET);

        var kept = conversationWith(m1.first(), GROUP, group);
        assertThat(kept.getId()).isEqualTo(m1Conversation);
        assertThat(kept.getReceiveNum()).as("only what it had").isEqualTo(1);
        assertThat(kept.getMessagenewcontent()).isEqualTo("while you were here");
        assertThat(totalUnread(m1.first())).isEqualTo(1);
        assertThat(ids(sync(m1.first(), m1Conversation, 0, 0))).containsExactly(old.getId());
        assertThat(unreadWith(m1.first(), GROUP, group)).isZero();
        assertRefused(readRequest(m1.first(), later.getId()), ErrorCode.FORBIDDEN);

        assertRefused(m1.first().request("sendmessage", toGroup(group, text("still here?"))), ErrorCode.FORBIDDEN);
        m2.first().assertNoOutput(PUSH, QUIET);
        owner.second().assertNoOutput(PUSH, QUIET);
        assertThat(ids(sync(m2.first(), conversationWith(m2.first(), GROUP, group).getId())))
                .containsExactly(later.getId(), old.getId());

        var oneMore = sendGroupText(owner.first(), group, "one more");
        assertPushes(m2.first(), oneMore);
        m1.first().assertNoOutput(PUSH, QUIET);
        assertThat(unreadWith(m1.first(), GROUP, group)).isZero();
        assertThat(conversationWith(m1.first(), GROUP, group).getMessagenewcontent())
                .isEqualTo("while you were here");
        var m1Groups = WsClient.parse(ok(m1.first().request("groupbyuser", GetUserGroupsReq.getDefaultInstance())),
                GetUserGroupsResp.parser());
        assertThat(m1Groups.getGroupsList()).isEmpty();
    }

    @Test
    void mentions_areKeptInGroupMessages() {
        var owner = member("owner");
        var m1 = member("m1");
        long group = createGroup("mentions", owner.id(), m1.id());

        var sent = send(owner.first(), SendMessage.newBuilder(toGroup(group, text("@m1 look")))
                .addToUserIds(m1.id()).build());

        assertThat(sent.getToUserIdsList()).containsExactly(m1.id());
        assertThat(awaitPush(m1.first()).getToUserIdsList()).containsExactly(m1.id());
        assertThat(sync(m1.second(), conversationWith(m1.first(), GROUP, group).getId()))
                .singleElement().satisfies(m -> assertThat(m.getToUserIdsList()).containsExactly(m1.id()));
    }

    @Test
    void conversationPreview_showsTheGroupsLatestMessageAndSender() {
        var owner = member("owner");
        var m1 = member("m1");
        long group = createGroup("preview", owner.id(), m1.id());
        sendGroupText(owner.first(), group, "first");
        MessageItem last = sendGroupText(m1.first(), group, "second");

        for (var client : List.of(owner.first(), m1.first())) {
            var c = conversationWith(client, GROUP, group);
            assertThat(c.getUsername()).isEqualTo("preview");
            assertThat(c.getMessagenewcontent()).isEqualTo("second");
            assertThat(c.getSenderId()).isEqualTo(m1.id());
            assertThat(c.getSenderName()).isEqualTo("m1");
            assertThat(c.getUpdateTime()).isEqualTo(last.getSendTime() / 1000);
        }
    }
}
