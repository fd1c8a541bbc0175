package io.imserver.social;

import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.conversationWith;
import static io.imserver.testing.Chat.ok;
import static io.imserver.testing.Chat.sendToGroup;
import static io.imserver.testing.Chat.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import pb.AddUserbyGroup;
import pb.GetUserGroupsReq;
import pb.GetUserGroupsResp;
import pb.Group;
import pb.GroupMuteReq;
import pb.GroupUser;

/** Muting members and whole groups: a muted sender gets MUTED (462) and nothing is stored or pushed. */
class GroupMuteIT extends GroupTestBase {

    private static GroupMuteReq mute(long group, long userId, long seconds) {
        return GroupMuteReq.newBuilder().setGroupId(group).setUserId(userId).setDurationS(seconds).build();
    }

    @Test
    void mutedMember_isRefusedWithMuted_nothingStored_untilUnmuted() {
        var owner = user();
        var member = user();
        long group = group(owner, member);

        var muted = ok(owner.request("mutegroupuser", mute(group, id(member), -1)), GroupUser.parser());
        assertThat(muted.getMutedUntil()).isEqualTo(Long.MAX_VALUE);
        awaitNotice(member, 8);
        long seqBefore = conversationWith(owner, GROUP, group).getLastSeq();

        assertRefused(member.request("sendmessage", text(GROUP, group, "let me speak")), ErrorCode.MUTED);

        assertThat(conversationWith(owner, GROUP, group).getLastSeq()).isEqualTo(seqBefore);
        assertThat(groupUsers(owner, group, 1)).extracting(GroupUser::getMutedUntil).containsExactly(Long.MAX_VALUE);
        ok(owner.request("mutegroupuser", mute(group, id(member), 0)));
        assertThat(awaitNotice(member, 8).getMutedUntil()).isZero();
        assertThat(sendToGroup(member, group, "thanks").getSeq()).isEqualTo(seqBefore + 2);
    }

    @Test
    void timedMute_endsByItself() throws InterruptedException {
        var owner = user();
        var member = user();
        long group = group(owner, member);

        var muted = ok(owner.request("mutegroupuser", mute(group, id(member), 1)), GroupUser.parser());
        assertRefused(member.request("sendmessage", text(GROUP, group, "now?")), ErrorCode.MUTED);
        Thread.sleep(Math.max(0, muted.getMutedUntil() - System.currentTimeMillis()) + 50);

        sendToGroup(member, group, "now");
    }

    @Test
    void muteAll_silencesPlainMembersOnly_andShowsAsBan() {
        var owner = user();
        var admin = user();
        var member = user();
        long group = group(owner, admin, member);
        ok(owner.request("setgrouprole", AddUserbyGroup.newBuilder().setGroupId(group).setUserId(id(admin))
                .setIstype(2).build()));

        var on = ok(admin.request("muteall", Group.newBuilder().setGroupId(group).setBan(1).build()), Group.parser());

        assertThat(on.getBan()).isEqualTo(1);
        awaitNotice(member, 5);
        assertThat(awaitNotice(member, 9).getGroup().getBan()).isEqualTo(1);
        assertRefused(member.request("sendmessage", text(GROUP, group, "hello?")), ErrorCode.MUTED);
        sendToGroup(admin, group, "admins may");
        sendToGroup(owner, group, "owners may");
        var listed = ok(member.request("groupbyuser", GetUserGroupsReq.getDefaultInstance()), GetUserGroupsResp.parser());
        assertThat(listed.getGroupsList()).filteredOn(g -> g.getGroupId() == group).extracting(Group::getBan)
                .containsExactly(1);

        ok(owner.request("muteall", Group.newBuilder().setGroupId(group).setBan(0).build()));
        sendToGroup(member, group, "free again");
        assertRefused(owner.request("muteall", Group.newBuilder().setGroupId(group).setBan(2).build()),
                ErrorCode.INVALID_REQUEST);
    }

    @Test
    void whoMayMuteWhom() {
        var owner = user();
        var admin = user();
        var otherAdmin = user();
        var member = user();
        long group = group(owner, admin, otherAdmin, member);
        for (var a : new long[] {id(admin), id(otherAdmin)}) {
            ok(owner.request("setgrouprole", AddUserbyGroup.newBuilder().setGroupId(group).setUserId(a)
                    .setIstype(2).build()));
        }

        assertRefused(member.request("mutegroupuser", mute(group, id(admin), 60)), ErrorCode.FORBIDDEN);
        assertRefused(member.request("muteall", Group.newBuilder().setGroupId(group).setBan(1).build()),
                ErrorCode.FORBIDDEN);
        assertRefused(admin.request("mutegroupuser", mute(group, id(owner), 60)), ErrorCode.FORBIDDEN);
        assertRefused(admin.request("mutegroupuser", mute(group, id(otherAdmin), 60)), ErrorCode.FORBIDDEN);
        assertRefused(owner.request("mutegroupuser", mute(group, id(owner), 60)), ErrorCode.FORBIDDEN);
        assertRefused(owner.request("mutegroupuser", mute(group, id(member), -2)), ErrorCode.INVALID_REQUEST);
        ok(admin.request("mutegroupuser", mute(group, id(member), 60)));
        // the owner may mute an admin, who then may not send either
        ok(owner.request("mutegroupuser", mute(group, id(admin), 60)));
        assertRefused(admin.request("sendmessage", text(GROUP, group, "hm")), ErrorCode.MUTED);
        sendToGroup(otherAdmin, group, "still fine");
    }
}
