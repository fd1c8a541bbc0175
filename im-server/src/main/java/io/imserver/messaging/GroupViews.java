package io.imserver.messaging;

import io.imserver.store.Group;
import io.imserver.store.GroupMember;

/** Groups and members as the wire shows them ({@code pb.Group}, {@code pb.GroupUser}). */
final class GroupViews {
    private GroupViews() {
    }

    /** The group's profile; times in Unix seconds as the reference. */
    static pb.Group group(Group g, int memberCount) {
        return pb.Group.newBuilder()
                .setGroupId(g.groupId())
                .setName(g.name())
                .setIntroduction(g.introduction())
                .setAvatar(g.avatar())
                .setType(g.type())
                .setExtra(g.extra())
                .setUserMum(memberCount)
                .setCreateTime(g.createdAt() / 1000)
                .setUpdateTime(g.updatedAt() / 1000)
                .setBan(g.muteAll() ? 1 : 0)
                .setAnnouncement(g.announcement())
                .build();
    }

    static pb.GroupUser member(GroupMember m) {
        return pb.GroupUser.newBuilder()
                .setGroupId(m.groupId())
                .setUserId(m.userId())
                .setType(m.role().code())
                .setLabel(m.label())
                .setMutedUntil(m.mutedUntil())
                .build();
    }
}
