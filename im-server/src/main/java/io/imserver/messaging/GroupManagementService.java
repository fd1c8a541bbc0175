package io.imserver.messaging;

import io.imserver.protocol.ImException;
import io.imserver.store.Group;
import io.imserver.store.GroupMember;
import io.imserver.store.GroupRole;
import io.imserver.store.PeerType;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pb.Command;
import pb.GroupNotice;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageType;

/**
 * Changes to a group by its owner or admins (WebSocket) or by the admin API: profile, members in batches, roles,
 * ownership, labels, mutes, announcement, dissolving. Each change checks the caller's role, and writes a system
 * message ({@link GroupNotice}) into the group's stream in the same transaction, pushed once committed: members
 * see changes in stream order. Members removed get the notice before losing access; members added see it.
 */
public final class GroupManagementService {
    /** Most user ids one {@code addgroupusers} / {@code removegroupusers} may name. */
    public static final int MAX_BATCH = 100;
    /** Longest announcement, in characters. */
    static final int MAX_ANNOUNCEMENT = 4000;
    /** Longest label, in characters. */
    static final int MAX_LABEL = 64;
    /** Longest timed mute: ten years. */
    static final long MAX_MUTE_SECONDS = 10L * 366 * 24 * 3600;

    /** {@link GroupNotice#getEvent()} of each change; also the notice's {@code Command.code}. */
    static final int UPDATED = 1;
    static final int DISSOLVED = 2;
    static final int MEMBERS_ADDED = 3;
    static final int MEMBERS_REMOVED = 4;
    static final int ROLE_CHANGED = 5;
    static final int OWNER_TRANSFERRED = 6;
    static final int LABEL_CHANGED = 7;
    static final int MEMBER_MUTED = 8;
    static final int MUTE_ALL = 9;
    static final int ANNOUNCEMENT = 10;

    /** Who changes a group: a signed-in user (its role is checked), or the admin API (user 0, no role needed). */
    public record Operator(long appId, long userId) {
        public static Operator adminApi(long appId) {
            return new Operator(appId, 0);
        }

        boolean isAdminApi() {
            return userId == 0;
        }
    }

    private final Store store;
    private final SystemMessageService notices;
    private final Clock clock;

    public GroupManagementService(Store store, SystemMessageService notices, Clock clock) {
        this.store = store;
        this.notices = notices;
        this.clock = clock;
    }

    /** A change's result and the notices it wrote, pushed after the commit. */
    private record Changed<T>(T result, List<SystemMessageService.Stored> notices) {
    }

    @FunctionalInterface
    private interface Change<T> {
        T run(StoreTx tx, Group group, List<SystemMessageService.Stored> notices);
    }

    /** Runs {@code change} on the group (which must exist in the operator's app) and pushes its notices. */
    private <T> CompletableFuture<T> change(Operator op, long groupId, Change<T> change) {
        requireGroupId(groupId);
        return store.write(tx -> {
            var group = GroupService.requireGroup(tx, op.appId(), groupId);
            var written = new ArrayList<SystemMessageService.Stored>();
            return new Changed<>(change.run(tx, group, written), written);
        }, changed -> notices.push(changed.notices())).thenApply(Changed::result);
    }

    /** Changes name, introduction and avatar (owner or admin); a null keeps the current value. */
    public CompletableFuture<pb.Group> update(Operator op, long groupId, String name, String introduction,
                                              String avatar) {
        requireText("name", name);
        requireText("introduction", introduction);
        requireText("avatar", avatar);
        return change(op, groupId, (tx, g, out) -> {
            requireManager(tx, g, op);
            tx.accounts().updateGroup(groupId, name == null ? g.name() : name,
                    introduction == null ? g.introduction() : introduction, avatar == null ? g.avatar() : avatar,
                    clock.millis());
            var view = view(tx, op.appId(), groupId);
            out.add(notice(tx, g, notice(UPDATED, g, op).setGroup(view)));
            return view;
        });
    }

    /**
     * Dissolves the group (owner only): a last notice, then every member leaves; their conversations keep what
     * they had, that notice included, and get nothing new.
     */
    public CompletableFuture<Void> dissolve(Operator op, long groupId) {
        return change(op, groupId, (tx, g, out) -> {
            requireOwner(tx, g, op);
            out.add(notice(tx, g, notice(DISSOLVED, g, op)));
            var head = GroupService.requireGroup(tx, op.appId(), groupId);
            for (var m : tx.groups().members(groupId)) {
                leave(tx, head, m.userId());
            }
            return null;
        });
    }

    /** Makes a member the owner (owner only); the previous owner becomes an admin. */
    public CompletableFuture<pb.GroupUser> transferOwner(Operator op, long groupId, long newOwnerId) {
        return change(op, groupId, (tx, g, out) -> {
            requireOwner(tx, g, op);
            var member = requireTarget(tx, g, newOwnerId);
            if (newOwnerId != g.ownerId()) {
                tx.groups().member(groupId, g.ownerId())
                        .ifPresent(old -> tx.groups().putMember(old.withRole(GroupRole.ADMIN)));
                tx.groups().putMember(member.withRole(GroupRole.OWNER));
                tx.accounts().setGroupOwner(groupId, newOwnerId, clock.millis());
                out.add(notice(tx, g, notice(OWNER_TRANSFERRED, g, op).addUserIds(newOwnerId)
                        .setRole(GroupRole.OWNER.code())));
            }
            return GroupViews.member(tx.groups().member(groupId, newOwnerId).orElseThrow());
        });
    }

    /**
     * Adds users (owner or admin): each must exist in the app; members already in are skipped. Refused as a whole
     * when the group would pass the app's member limit. @return the ids added
     */
    public CompletableFuture<List<Long>> addMembers(Operator op, long groupId, List<Long> userIds) {
        var ids = batch(userIds);
        return change(op, groupId, (tx, g, out) -> {
            requireManager(tx, g, op);
            var added = new ArrayList<Long>();
            for (long id : ids) {
                if (tx.users().find(op.appId(), id).isEmpty()) {
                    throw ImException.notFound("user " + id + " does not exist in app " + op.appId());
                }
                if (tx.groups().member(groupId, id).isEmpty()) {
                    added.add(id);
                }
            }
            if (added.isEmpty()) {
                return added;
            }
            GroupService.requireRoom(tx, op.appId(), tx.groups().memberCount(groupId), added.size());
            long now = clock.millis();
            for (long id : added) {
                GroupService.join(tx, g, id, GroupRole.MEMBER, "", now);
            }
            // after the joins: the new members see the notice of their joining
            out.add(notice(tx, g, notice(MEMBERS_ADDED, g, op).addAllUserIds(added)));
            return added;
        });
    }

    /**
     * Removes members (owner: anyone but itself; admin: plain members only); non-members are skipped. Those removed
     * get the notice, then keep their conversation frozen. @return the ids removed
     */
    public CompletableFuture<List<Long>> removeMembers(Operator op, long groupId, List<Long> userIds) {
        var ids = batch(userIds);
        return change(op, groupId, (tx, g, out) -> {
            var caller = requireManager(tx, g, op);
            var removed = new ArrayList<Long>();
            for (long id : ids) {
                var m = tx.groups().member(groupId, id);
                if (m.isEmpty()) {
                    continue;
                }
                if (m.get().role() == GroupRole.OWNER) {
                    throw ImException.forbidden("user " + id + " owns group " + groupId + " and cannot be removed");
                }
                if (caller != null && caller.role() == GroupRole.ADMIN && m.get().role() == GroupRole.ADMIN) {
                    throw ImException.forbidden("user " + id + " is an admin of group " + groupId
                            + ": only the owner may remove admins");
                }
                removed.add(id);
            }
            if (removed.isEmpty()) {
                return removed;
            }
            out.add(notice(tx, g, notice(MEMBERS_REMOVED, g, op).addAllUserIds(removed)));
            var head = GroupService.requireGroup(tx, op.appId(), groupId);
            for (long id : removed) {
                leave(tx, head, id);
            }
            return removed;
        });
    }

    /** Leaves the group; the owner must transfer ownership first. */
    public CompletableFuture<Void> quit(Operator op, long groupId) {
        return change(op, groupId, (tx, g, out) -> {
            var me = requireMember(tx, g, op.userId());
            if (me.role() == GroupRole.OWNER) {
                throw ImException.forbidden("user " + op.userId() + " owns group " + groupId
                        + ": transfer the group before leaving it");
            }
            out.add(notice(tx, g, notice(MEMBERS_REMOVED, g, op).addUserIds(op.userId())));
            leave(tx, GroupService.requireGroup(tx, op.appId(), groupId), op.userId());
            return null;
        });
    }

    /** Makes a member an admin or a plain member again (owner only). */
    public CompletableFuture<pb.GroupUser> setRole(Operator op, long groupId, long userId, int roleCode) {
        if (roleCode != GroupRole.MEMBER.code() && roleCode != GroupRole.ADMIN.code()) {
            throw ImException.invalid("istype: " + roleCode + " (expected: 1 member or 2 admin)");
        }
        var role = GroupRole.of(roleCode);
        return change(op, groupId, (tx, g, out) -> {
            requireOwner(tx, g, op);
            var m = requireTarget(tx, g, userId);
            if (m.role() == GroupRole.OWNER) {
                throw ImException.invalid("user_id: " + userId + " owns the group (expected: a member or admin)");
            }
            if (m.role() != role) {
                tx.groups().putMember(m.withRole(role));
                out.add(notice(tx, g, notice(ROLE_CHANGED, g, op).addUserIds(userId).setRole(role.code())));
            }
            return GroupViews.member(m.withRole(role));
        });
    }

    /** Sets the caller's own label in the group (empty: none). */
    public CompletableFuture<pb.GroupUser> setLabel(Operator op, long groupId, String label) {
        requireText("label", label);
        if (label.length() > MAX_LABEL) {
            throw ImException.invalid("label: " + label.length() + " characters (expected: <= " + MAX_LABEL + ")");
        }
        return change(op, groupId, (tx, g, out) -> {
            var me = requireMember(tx, g, op.userId());
            if (!me.label().equals(label)) {
                tx.groups().putMember(me.withLabel(label));
                out.add(notice(tx, g, notice(LABEL_CHANGED, g, op).addUserIds(op.userId()).setLabel(label)));
            }
            return GroupViews.member(me.withLabel(label));
        });
    }

    /**
     * Mutes a member (owner or admin) for {@code durationS} seconds, until unmuted (-1), or unmutes it (0). Nobody
     * mutes the owner; admins do not mute admins.
     */
    public CompletableFuture<pb.GroupUser> mute(Operator op, long groupId, long userId, long durationS) {
        if (durationS < -1 || durationS > MAX_MUTE_SECONDS) {
            throw ImException.invalid("duration_s: " + durationS + " (expected: 1-" + MAX_MUTE_SECONDS
                    + " seconds, 0 to unmute or -1 until unmuted)");
        }
        return change(op, groupId, (tx, g, out) -> {
            var caller = requireManager(tx, g, op);
            var m = requireTarget(tx, g, userId);
            if (m.role() == GroupRole.OWNER) {
                throw ImException.forbidden("user " + userId + " owns group " + groupId + " and cannot be muted");
            }
            if (caller != null && caller.role() == GroupRole.ADMIN && m.role() == GroupRole.ADMIN) {
                throw ImException.forbidden("user " + userId + " is an admin of group " + groupId
                        + ": only the owner may mute admins");
            }
            long until = durationS == -1 ? GroupMember.UNTIL_UNMUTED
                    : durationS == 0 ? 0 : clock.millis() + durationS * 1000;
            var muted = m.withMutedUntil(until);
            tx.groups().putMember(muted);
            out.add(notice(tx, g, notice(MEMBER_MUTED, g, op).addUserIds(userId).setMutedUntil(until)));
            return GroupViews.member(muted);
        });
    }

    /** Turns mute all on or off (owner or admin): while on, only the owner and admins may send. */
    public CompletableFuture<pb.Group> muteAll(Operator op, long groupId, int ban) {
        if (ban != 0 && ban != 1) {
            throw ImException.invalid("ban: " + ban + " (expected: 0 off or 1 on)");
        }
        return change(op, groupId, (tx, g, out) -> {
            requireManager(tx, g, op);
            tx.groups().setMuteAll(groupId, ban == 1, clock.millis());
            var view = view(tx, op.appId(), groupId);
            out.add(notice(tx, g, notice(MUTE_ALL, g, op).setGroup(view)));
            return view;
        });
    }

    /** Sets the announcement (owner or admin; empty removes it). */
    public CompletableFuture<pb.Group> setAnnouncement(Operator op, long groupId, String announcement) {
        requireText("announcement", announcement);
        if (announcement.length() > MAX_ANNOUNCEMENT) {
            throw ImException.invalid("announcement: " + announcement.length() + " characters (expected: <= "
                    + MAX_ANNOUNCEMENT + ")");
        }
        return change(op, groupId, (tx, g, out) -> {
            requireManager(tx, g, op);
            tx.groups().setAnnouncement(groupId, announcement, clock.millis());
            var view = view(tx, op.appId(), groupId);
            out.add(notice(tx, g, notice(ANNOUNCEMENT, g, op).setGroup(view)));
            return view;
        });
    }

    /**
     * One page of members (the caller must be one): {@code type} 0 all, 1 plain members, 2 admins, 3 the owner;
     * owner first, then admins, then by user id.
     */
    public List<pb.GroupUser> members(Operator op, long groupId, int type, Paging page) {
        requireGroupId(groupId);
        GroupRole role = switch (type) {
            case 0 -> null;
            case 1, 2, 3 -> GroupRole.of(type);
            default -> throw ImException.invalid("type: " + type + " (expected: 0 all, 1 member, 2 admin, 3 owner)");
        };
        return store.read(tx -> {
            var g = GroupService.requireGroup(tx, op.appId(), groupId);
            if (!op.isAdminApi()) {
                requireMember(tx, g, op.userId());
            }
            return tx.groups().membersPage(groupId, role, page.limit(), page.offset()).stream()
                    .map(GroupViews::member).toList();
        });
    }

    /** {@code head}: the group as it is now, so that the frozen conversation keeps the notices just written. */
    private void leave(StoreTx tx, Group head, long userId) {
        tx.groups().removeMember(head.groupId(), userId);
        tx.conversations().find(head.appId(), userId, PeerType.GROUP, head.groupId())
                .ifPresent(c -> tx.conversations().deactivate(c.id(), head, clock.millis()));
    }

    private static GroupNotice.Builder notice(int event, Group g, Operator op) {
        return GroupNotice.newBuilder().setEvent(event).setGroupId(g.groupId()).setOperatorId(op.userId());
    }

    /** Writes the notice into the group's stream: a system message with a command body holding it. */
    private SystemMessageService.Stored notice(StoreTx tx, Group g, GroupNotice.Builder notice) {
        var n = notice.build();
        var body = MessageBody.newBuilder().setMessageType(MessageType.MT_COMMAND)
                .setMessageContent(MessageContent.newBuilder()
                        .setCommand(Command.newBuilder().setCode(n.getEvent()).setData(n.toByteString())))
                .build();
        return notices.toGroup(tx, g.appId(), g.groupId(), body);
    }

    private static pb.Group view(StoreTx tx, long appId, long groupId) {
        return GroupViews.group(GroupService.requireGroup(tx, appId, groupId), tx.groups().memberCount(groupId));
    }

    private static GroupMember requireMember(StoreTx tx, Group g, long userId) {
        return tx.groups().member(g.groupId(), userId).orElseThrow(() -> ImException.forbidden(
                "user " + userId + " is not a member of group " + g.groupId()));
    }

    /** The membership of the user a change is about. */
    private static GroupMember requireTarget(StoreTx tx, Group g, long userId) {
        return tx.groups().member(g.groupId(), userId).orElseThrow(() -> ImException.notFound(
                "user " + userId + " is not a member of group " + g.groupId()));
    }

    /** The caller's membership as owner or admin; null for the admin API. */
    private static GroupMember requireManager(StoreTx tx, Group g, Operator op) {
        if (op.isAdminApi()) {
            return null;
        }
        var me = requireMember(tx, g, op.userId());
        if (!me.role().canManage()) {
            throw ImException.forbidden("user " + op.userId() + " is not the owner or an admin of group "
                    + g.groupId());
        }
        return me;
    }

    private static void requireOwner(StoreTx tx, Group g, Operator op) {
        if (op.isAdminApi()) {
            return;
        }
        var me = requireMember(tx, g, op.userId());
        if (me.role() != GroupRole.OWNER) {
            throw ImException.forbidden("user " + op.userId() + " does not own group " + g.groupId());
        }
    }

    private static List<Long> batch(List<Long> userIds) {
        if (userIds.isEmpty() || userIds.size() > MAX_BATCH) {
            throw ImException.invalid("user_ids: " + userIds.size() + " ids (expected: 1-" + MAX_BATCH + ")");
        }
        for (long id : userIds) {
            DirectoryService.requirePositive("user id", id);
        }
        return List.copyOf(new LinkedHashSet<>(userIds));
    }

    private static void requireGroupId(long groupId) {
        if (groupId <= 0) {
            throw ImException.invalid("group_id: " + groupId + " (expected: > 0)");
        }
    }

    private static void requireText(String field, String value) {
        if (value != null) {
            ImException.requireNoNul(field, value);
        }
    }
}
