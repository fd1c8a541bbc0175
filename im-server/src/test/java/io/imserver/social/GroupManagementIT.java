package io.imserver.social;

import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.QUIET;
import static io.imserver.testing.Chat.conversationWith;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.ok;
import static io.imserver.testing.Chat.sendToGroup;
import static io.imserver.testing.Chat.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.Chat;
import org.junit.jupiter.api.Test;
import pb.AddUserbyGroup;
import pb.DeleteGroupReq;
import pb.GetUserGroupsReq;
import pb.GetUserGroupsResp;
import pb.Group;
import pb.GroupUser;
import pb.GroupUsersReq;
import pb.MessageItem;

/** Group management over WebSocket: every change by the right role, a notice in the stream, refusals otherwise. */
class GroupManagementIT extends GroupTestBase {

    @Test
    void ownerRenamesGroup_membersGetTheNoticeInStreamOrder_andSeeTheNewName() {
        var owner = user();
        var member = user();
        long group = group(owner, member);
        var before = sendToGroup(owner, group, "before");
        Chat.pushed(member);

        var renamed = ok(owner.request("upgroup", Group.newBuilder().setGroupId(group).setName("Renamed")
                .setIntroduction("about us").build()), Group.parser());

        assertThat(renamed.getName()).isEqualTo("Renamed");
        assertThat(renamed.getIntroduction()).isEqualTo("about us");
        var pushed = Chat.pushed(member);
        assertThat(pushed.getSeq()).isEqualTo(before.getSeq() + 1);
        assertThat(noticeOf(pushed, 1).getGroup().getName()).isEqualTo("Renamed");
        assertThat(noticeOf(pushed, 1).getOperatorId()).isEqualTo(id(owner));
        var conversation = conversationWith(member, GROUP, group);
        assertThat(conversation.getUsername()).isEqualTo("Renamed");
        assertThat(history(member, conversation.getId())).extracting(MessageItem::getId)
                .containsExactly(before.getId(), pushed.getId());
        // an empty field keeps what the group had
        var again = ok(owner.request("upgroup", Group.newBuilder().setGroupId(group).setAvatar("https://a.test/g.png")
                .build()), Group.parser());
        assertThat(again.getName()).isEqualTo("Renamed");
        assertThat(again.getAvatar()).isEqualTo("https://a.test/g.png");
    }

    @Test
    void plainMemberMayNotManage_ownerMakesItAdmin_thenItMay() {
        var owner = user();
        var member = user();
        var other = user();
        long group = group(owner, member, other);

        assertRefused(member.request("upgroup", Group.newBuilder().setGroupId(group).setName("mine").build()),
                ErrorCode.FORBIDDEN);
        assertRefused(member.request("setannouncement", Group.newBuilder().setGroupId(group)
                .setAnnouncement("hi").build()), ErrorCode.FORBIDDEN);
        assertRefused(member.request("removegroupusers", users(group, other)), ErrorCode.FORBIDDEN);
        assertRefused(member.request("setgrouprole", AddUserbyGroup.newBuilder().setGroupId(group)
                .setUserId(id(member)).setIstype(2).build()), ErrorCode.FORBIDDEN);
        assertThat(groupUsers(owner, group, 0)).extracting(GroupUser::getUserId)
                .containsExactly(id(owner), id(member), id(other));

        var promoted = ok(owner.request("setgrouprole", AddUserbyGroup.newBuilder().setGroupId(group)
                .setUserId(id(member)).setIstype(2).build()), GroupUser.parser());
        assertThat(promoted.getType()).isEqualTo(2);
        assertThat(awaitNotice(other, 5).getUserIdsList()).containsExactly(id(member));

        var announced = ok(member.request("setannouncement", Group.newBuilder().setGroupId(group)
                .setAnnouncement("Meeting at 10").build()), Group.parser());
        assertThat(announced.getAnnouncement()).isEqualTo("Meeting at 10");
        assertThat(awaitNotice(other, 10).getGroup().getAnnouncement()).isEqualTo("Meeting at 10");
        assertThat(groupUsers(other, group, 2)).extracting(GroupUser::getUserId).containsExactly(id(member));
        // an admin still may not change roles: that is the owner's
        assertRefused(member.request("setgrouprole", AddUserbyGroup.newBuilder().setGroupId(group)
                .setUserId(id(other)).setIstype(2).build()), ErrorCode.FORBIDDEN);
    }

    @Test
    void addAndRemoveInBatches_addedSeeTheirJoinNotice_removedGetTheirRemovalThenNothing() {
        var owner = user();
        var admin = user();
        var a = user();
        var b = user();
        long group = group(owner, admin);
        ok(owner.request("setgrouprole", AddUserbyGroup.newBuilder().setGroupId(group).setUserId(id(admin))
                .setIstype(2).build()));
        awaitNotice(admin, 5);
        awaitNotice(owner, 5);

        var added = ok(admin.request("addgroupusers", users(group, a, b, admin)), GroupUsersReq.parser());

        assertThat(added.getUserIdsList()).containsExactly(id(a), id(b));
        assertThat(awaitNotice(a, 3).getUserIdsList()).containsExactly(id(a), id(b));
        assertThat(awaitNotice(owner, 3).getOperatorId()).isEqualTo(id(admin));
        assertThat(groupUsers(a, group, 1)).extracting(GroupUser::getUserId).containsExactly(id(a), id(b));
        var aConversation = conversationWith(a, GROUP, group);
        assertThat(history(a, aConversation.getId())).hasSize(1);

        var removed = ok(admin.request("removegroupusers", users(group, a)), GroupUsersReq.parser());

        assertThat(removed.getUserIdsList()).containsExactly(id(a));
        assertThat(awaitNotice(a, 4).getUserIdsList()).containsExactly(id(a));
        assertRefused(a.request("sendmessage", text(GROUP, group, "still here?")), ErrorCode.FORBIDDEN);
        sendToGroup(owner, group, "after a left");
        a.assertNoOutput("message", QUIET);
        assertThat(history(a, aConversation.getId())).hasSize(2);
        // the owner cannot be removed, an admin cannot remove an admin, batches are bounded
        assertRefused(admin.request("removegroupusers", users(group, owner)), ErrorCode.FORBIDDEN);
        var hundredAndOne = GroupUsersReq.newBuilder().setGroupId(group);
        for (long i = 1; i <= 101; i++) {
            hundredAndOne.addUserIds(i);
        }
        assertRefused(owner.request("addgroupusers", hundredAndOne.build()), ErrorCode.INVALID_REQUEST);
        assertRefused(owner.request("addgroupusers", GroupUsersReq.newBuilder().setGroupId(group)
                .addUserIds(987_654_321L).build()), ErrorCode.NOT_FOUND);
    }

    @Test
    void outsidersAndOtherAppsAreRefused_identityComesFromSignOnly() {
        var owner = user();
        var member = user();
        var outsider = user();
        long group = group(owner, member);

        assertRefused(outsider.request("getgroupusers", pb.GroupUserReq.newBuilder().setGroupId(group).build()),
                ErrorCode.FORBIDDEN);
        assertRefused(outsider.request("upgroup", Group.newBuilder().setGroupId(group).setName("x").build()),
                ErrorCode.FORBIDDEN);
        assertRefused(outsider.request("addgroupusers", users(group, outsider)), ErrorCode.FORBIDDEN);
        assertRefused(outsider.request("delgroup", DeleteGroupReq.newBuilder().setGroupId(group).build()),
                ErrorCode.FORBIDDEN);
        // naming the owner in a request field changes nothing: the caller is who signed in
        assertRefused(outsider.request("transfergroup", AddUserbyGroup.newBuilder().setGroupId(group)
                .setUserId(id(outsider)).build()), ErrorCode.FORBIDDEN);

        server.admin().putApp(2, "other app");
        server.admin().putUser(2, id(owner), "same id, other app");
        try (var otherApp = server.signIn(2, id(owner), 1)) {
            assertRefused(otherApp.request("upgroup", Group.newBuilder().setGroupId(group).setName("x").build()),
                    ErrorCode.NOT_FOUND);
            assertRefused(otherApp.request("getgroupusers", pb.GroupUserReq.newBuilder().setGroupId(group).build()),
                    ErrorCode.NOT_FOUND);
        }
        assertThat(groupUsers(member, group, 0)).hasSize(2);
        assertRefused(member.request("getgroupusers", pb.GroupUserReq.newBuilder().setGroupId(group).setType(7)
                .build()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void transferThenDissolve_onlyTheOwnerMay_membersKeepTheDissolvedConversation() {
        var owner = user();
        var heir = user();
        var member = user();
        long group = group(owner, heir, member);

        assertRefused(heir.request("transfergroup", AddUserbyGroup.newBuilder().setGroupId(group)
                .setUserId(id(heir)).build()), ErrorCode.FORBIDDEN);
        var newOwner = ok(owner.request("transfergroup", AddUserbyGroup.newBuilder().setGroupId(group)
                .setUserId(id(heir)).build()), GroupUser.parser());
        assertThat(newOwner.getType()).isEqualTo(3);
        assertThat(awaitNotice(member, 6).getUserIdsList()).containsExactly(id(heir));
        assertThat(groupUsers(member, group, 3)).extracting(GroupUser::getUserId).containsExactly(id(heir));
        assertThat(groupUsers(member, group, 2)).extracting(GroupUser::getUserId).containsExactly(id(owner));

        assertRefused(owner.request("delgroup", DeleteGroupReq.newBuilder().setGroupId(group).build()),
                ErrorCode.FORBIDDEN);
        ok(heir.request("delgroup", DeleteGroupReq.newBuilder().setGroupId(group).build()));

        var last = Chat.pushed(member);
        noticeOf(last, 2);
        var kept = conversationWith(member, GROUP, group);
        assertThat(kept.getLastSeq()).isEqualTo(last.getSeq());
        assertThat(history(member, kept.getId()).getLast().getId()).isEqualTo(last.getId());
        assertRefused(member.request("sendmessage", text(GROUP, group, "anyone?")), ErrorCode.FORBIDDEN);
        var groups = ok(member.request("groupbyuser", GetUserGroupsReq.getDefaultInstance()), GetUserGroupsResp.parser());
        assertThat(groups.getGroupsList()).noneMatch(g -> g.getGroupId() == group);
    }

    @Test
    void labelIsOnesOwn_andNamesTheSender_quittingLeavesTheGroup() {
        var owner = user();
        var member = user();
        long group = group(owner, member);

        var labelled = ok(member.request("setgrouplabel", AddUserbyGroup.newBuilder().setGroupId(group)
                .setUserId(id(owner)).setLabel("Captain").build()), GroupUser.parser());
        assertThat(labelled.getUserId()).isEqualTo(id(member));
        assertThat(awaitNotice(owner, 7).getLabel()).isEqualTo("Captain");
        assertThat(sendToGroup(member, group, "aye").getSenderName()).isEqualTo("Captain");
        assertThat(groupUsers(owner, group, 0)).filteredOn(u -> u.getUserId() == id(owner))
                .extracting(GroupUser::getLabel).containsExactly("");

        assertRefused(owner.request("quitgroup", DeleteGroupReq.newBuilder().setGroupId(group).build()),
                ErrorCode.FORBIDDEN);
        ok(member.request("quitgroup", DeleteGroupReq.newBuilder().setGroupId(group).build()));
        Chat.pushed(owner); // "aye"
        assertThat(awaitNotice(owner, 4).getUserIdsList()).containsExactly(id(member));
        assertThat(groupUsers(owner, group, 0)).extracting(GroupUser::getUserId).containsExactly(id(owner));
    }
}
