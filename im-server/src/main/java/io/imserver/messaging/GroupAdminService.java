package io.imserver.messaging;

import io.imserver.protocol.ImException;
import io.imserver.store.Group;
import io.imserver.store.GroupMember;
import io.imserver.store.GroupRole;
import io.imserver.store.Store;
import java.time.Clock;
import java.util.List;

/** The admin's group operations beyond create and members: update, delete, transfer ownership, page members. */
public final class GroupAdminService {
    private final Store store;
    private final Clock clock;

    public GroupAdminService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Changes name, introduction and avatar; a null keeps the current value. The name shows in members' lists. */
    public Group update(long appId, long groupId, String name, String introduction, String avatar) {
        // every caller (admin HTTP, admin gRPC) is refused alike: PostgreSQL text cannot hold NUL
        for (var field : java.util.Map.of("name", nullToEmpty(name), "introduction", nullToEmpty(introduction),
                "avatar", nullToEmpty(avatar)).entrySet()) {
            ImException.requireNoNul(field.getKey(), field.getValue());
        }
        return store.write(tx -> {
            var g = find(tx, appId, groupId);
            tx.accounts().updateGroup(groupId, name == null ? g.name() : name,
                    introduction == null ? g.introduction() : introduction, avatar == null ? g.avatar() : avatar,
                    clock.millis());
            return tx.groups().find(appId, groupId).orElseThrow();
        }).join();
    }

    /** Deletes the group, its messages and every member's conversation with it. */
    public void delete(long appId, long groupId) {
        store.write(tx -> {
            find(tx, appId, groupId);
            tx.accounts().deleteGroup(groupId);
            return null;
        }).join();
    }

    /** Makes a member the owner; the previous owner becomes an admin. */
    public Group transferOwner(long appId, long groupId, long newOwnerId) {
        return store.write(tx -> {
            var g = find(tx, appId, groupId);
            var member = tx.groups().member(groupId, newOwnerId).orElseThrow(() -> ImException.notFound(
                    "user " + newOwnerId + " is not a member of group " + groupId));
            if (newOwnerId != g.ownerId()) {
                tx.groups().member(groupId, g.ownerId()).ifPresent(old -> tx.groups().putMember(new GroupMember(
                        groupId, old.userId(), appId, GroupRole.ADMIN, old.label(), old.joinedAt())));
                tx.groups().putMember(new GroupMember(groupId, newOwnerId, appId, GroupRole.OWNER, member.label(),
                        member.joinedAt()));
                tx.accounts().setGroupOwner(groupId, newOwnerId, clock.millis());
            }
            return tx.groups().find(appId, groupId).orElseThrow();
        }).join();
    }

    /** One page of members: owner first, then admins, then by user id. */
    public List<GroupMember> members(long appId, long groupId, Paging page) {
        return store.read(tx -> {
            find(tx, appId, groupId);
            return tx.accounts().members(groupId, page.limit(), page.offset());
        });
    }

    private static Group find(io.imserver.store.StoreTx tx, long appId, long groupId) {
        return tx.groups().find(appId, groupId)
                .orElseThrow(() -> ImException.notFound("group " + groupId + " does not exist in app " + appId));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
