package io.imserver.messaging;

import io.imserver.auth.Identity;
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
import pb.CreateGroupReq;
import pb.CreateGroupResp;
import pb.GetUserGroupsReq;
import pb.GetUserGroupsResp;

/**
 * Groups and membership. Joining gives the member a conversation with the group that sees messages from that moment
 * on; leaving freezes the conversation with what the member already had.
 */
public final class GroupService {
    /** The highest member limit an app may set. */
    public static final int MAX_GROUP_MEMBERS_LIMIT = 100_000;
    /** The longest group name, in characters. */
    public static final int MAX_NAME = 100;
    /** The longest group introduction, in characters. */
    public static final int MAX_INTRODUCTION = 1000;
    /** The longest avatar URL, in characters. */
    public static final int MAX_AVATAR = 1024;
    /** The most members a group is created with at once (more join one by one). */
    public static final int MAX_INITIAL_MEMBERS = 2_000;
    private final Store store;
    private final Clock clock;

    public GroupService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A group with its current members. */
    public record GroupDetails(Group group, List<GroupMember> members) {
    }

    /** A new group and its owner's conversation with it. */
    public record CreatedGroup(Group group, long ownerConversationId) {
    }

    /** Creates a group owned by {@code ownerId} with the listed members (the owner need not be listed). */
    public CompletableFuture<CreatedGroup> create(long appId, String name, String introduction, String avatar,
                                                  long ownerId, List<Long> memberIds) {
        DirectoryService.requirePositive("owner_id", ownerId);
        // refused before storing: PostgreSQL text cannot hold NUL, and its refusal surfaced as a 500
        ImException.requireNoNul("name", nullToEmpty(name));
        ImException.requireNoNul("introduction", nullToEmpty(introduction));
        ImException.requireNoNul("avatar", nullToEmpty(avatar));
        requireAtMost("name", name, MAX_NAME);
        requireAtMost("introduction", introduction, MAX_INTRODUCTION);
        requireAtMost("avatar", avatar, MAX_AVATAR);
        var members = new LinkedHashSet<>(memberIds);
        if (members.size() > MAX_INITIAL_MEMBERS) {
            throw ImException.invalid("members: " + members.size() + " (expected: <= " + MAX_INITIAL_MEMBERS + ")");
        }
        members.remove(ownerId);
        for (long id : members) {
            DirectoryService.requirePositive("member id", id);
        }
        return store.write(tx -> {
            requireUser(tx, appId, ownerId);
            for (long id : members) {
                requireUser(tx, appId, id);
            }
            requireRoom(tx, appId, 0, 1 + members.size());
            long now = clock.millis();
            var group = tx.groups().create(appId, nullToEmpty(name), nullToEmpty(introduction), nullToEmpty(avatar),
                    ownerId, now);
            long ownerConversation = join(tx, group, ownerId, GroupRole.OWNER, "", now);
            for (long id : members) {
                join(tx, group, id, GroupRole.MEMBER, "", now);
            }
            return new CreatedGroup(group, ownerConversation);
        });
    }

    /** {@code creatgroup}: the caller becomes owner; {@code Group.userIds} lists members, comma-separated. */
    public CompletableFuture<CreateGroupResp> create(Identity who, CreateGroupReq req) {
        var g = req.getGroup();
        return create(who.appId(), g.getName(), g.getIntroduction(), g.getAvatar(), who.userId(), parseIds(g.getUserIds()))
                .thenApply(c -> CreateGroupResp.newBuilder()
                        .setGroupLastInsertID(c.group().groupId())
                        .setConversationLastInsertID(c.ownerConversationId())
                        .build());
    }

    private static void requireAtMost(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ImException.invalid(field + ": " + value.length() + " characters (expected: <= " + max + ")");
        }
    }

    static List<Long> parseIds(String csv) {
        var ids = new ArrayList<Long>();
        for (var part : csv.split(",")) {
            var p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                ids.add(Long.parseLong(p));
            } catch (NumberFormatException e) {
                throw ImException.invalid("userIds: '" + csv + "' (expected: user ids separated by commas)");
            }
        }
        return ids;
    }

    /** Sets the most members one group of the app may have; groups already larger keep their members. */
    public int setMaxGroupMembers(long appId, long max) {
        if (max <= 0 || max > MAX_GROUP_MEMBERS_LIMIT) {
            throw ImException.invalid("max_group_members: " + max + " (expected: 1-" + MAX_GROUP_MEMBERS_LIMIT + ")");
        }
        return store.write(tx -> {
            if (!tx.apps().setMaxGroupMembers(appId, (int) max, clock.millis())) {
                throw ImException.notFound("app " + appId + " does not exist");
            }
            return (int) max;
        }).join();
    }

    /** The most members one group of the app may have. */
    public int maxGroupMembers(long appId) {
        return store.read(tx -> tx.apps().maxGroupMembers(appId));
    }

    public GroupDetails details(long appId, long groupId) {
        return store.read(tx -> {
            var group = requireGroup(tx, appId, groupId);
            return new GroupDetails(group, tx.groups().members(groupId));
        });
    }

    /**
     * Adds the user to the group, or updates role and label of a member. A null role or label keeps the current
     * value (a new member defaults to {@link GroupRole#MEMBER} and no label). The owner's role cannot change here.
     */
    public CompletableFuture<GroupMember> putMember(long appId, long groupId, long userId, GroupRole role, String label) {
        if (role == GroupRole.OWNER) {
            throw ImException.invalid("role: owner (expected: member or admin)");
        }
        return store.write(tx -> {
            var group = requireGroup(tx, appId, groupId);
            requireUser(tx, appId, userId);
            var existing = tx.groups().member(groupId, userId);
            if (existing.isPresent()) {
                var m = existing.get();
                if (m.role() == GroupRole.OWNER && role != null) {
                    throw ImException.invalid("role: the owner's role cannot change");
                }
                var updated = m.withRole(role == null ? m.role() : role).withLabel(label == null ? m.label() : label);
                tx.groups().putMember(updated);
                return updated;
            }
            requireRoom(tx, appId, tx.groups().memberCount(groupId), 1);
            join(tx, group, userId, role == null ? GroupRole.MEMBER : role, label == null ? "" : label, clock.millis());
            return tx.groups().member(groupId, userId).orElseThrow();
        });
    }

    /** Removes a member; its conversation keeps what it had and gets nothing new. The owner cannot be removed. */
    public CompletableFuture<Void> removeMember(long appId, long groupId, long userId) {
        return store.write(tx -> {
            var group = requireGroup(tx, appId, groupId);
            var member = tx.groups().member(groupId, userId).orElseThrow(() -> ImException.notFound(
                    "user " + userId + " is not a member of group " + groupId));
            if (member.role() == GroupRole.OWNER) {
                throw ImException.invalid("user " + userId + " owns group " + groupId + " and cannot be removed");
            }
            tx.groups().removeMember(groupId, userId);
            tx.conversations().find(appId, userId, PeerType.GROUP, groupId)
                    .ifPresent(c -> tx.conversations().deactivate(c.id(), group, clock.millis()));
            return null;
        });
    }

    /** {@code groupbyuser}: type 0 all the caller's groups, 1 those it owns or administers, 2 those it is a plain member of. */
    public GetUserGroupsResp groupsOf(Identity who, GetUserGroupsReq req) {
        Boolean managedOnly = switch (req.getType()) {
            case 0 -> null;
            case 1 -> Boolean.TRUE;
            case 2 -> Boolean.FALSE;
            default -> throw ImException.invalid("type: " + req.getType() + " (expected: 0 all, 1 managed, 2 member)");
        };
        return store.read(tx -> {
            var resp = GetUserGroupsResp.newBuilder();
            for (var g : tx.groups().byMember(who.appId(), who.userId(), managedOnly)) {
                resp.addGroups(GroupViews.group(g, tx.groups().memberCount(g.groupId())));
            }
            return resp.build();
        });
    }

    /**
     * Refuses with {@link io.imserver.protocol.ErrorCode#GROUP_FULL} when {@code adding} more members would take a
     * group of {@code members} past the app's member limit. Every way in (create, admin add, WebSocket add, an
     * accepted join request through {@link #putMember}) passes here.
     */
    static void requireRoom(StoreTx tx, long appId, int members, int adding) {
        int max = tx.apps().maxGroupMembers(appId);
        if (members + adding > max) {
            throw ImException.groupFull("group would have " + (members + adding) + " members (expected: <= " + max
                    + ", the member limit of app " + appId + ")");
        }
    }

    /** Makes the user a member with a conversation that sees the group's messages from now on. */
    static long join(StoreTx tx, Group group, long userId, GroupRole role, String label, long now) {
        tx.groups().putMember(new GroupMember(group.groupId(), userId, group.appId(), role, label, now));
        var conversations = tx.conversations();
        var existing = conversations.find(group.appId(), userId, PeerType.GROUP, group.groupId());
        if (existing.isPresent()) {
            if (!existing.get().active()) {
                conversations.activate(existing.get().id(), group.lastSeq(), now);
            }
            return existing.get().id();
        }
        return conversations.getOrCreate(group.appId(), userId, PeerType.GROUP, group.groupId(), group.lastSeq(), now)
                .id();
    }

    private static void requireUser(StoreTx tx, long appId, long userId) {
        if (tx.users().find(appId, userId).isEmpty()) {
            throw ImException.notFound("user " + userId + " does not exist in app " + appId);
        }
    }

    /** The app's group, or NOT_FOUND (a group of another app is as missing as one that never was). */
    static Group requireGroup(StoreTx tx, long appId, long groupId) {
        return tx.groups().find(appId, groupId).orElseThrow(
                () -> ImException.notFound("group " + groupId + " does not exist in app " + appId));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
