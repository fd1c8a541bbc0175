package io.imserver.messaging;

import io.imserver.store.Group;
import io.imserver.store.GroupMember;
import io.imserver.store.Store;
import java.util.List;

/** The admin's group operations beyond create and members: update, delete, transfer ownership, page members. */
public final class GroupAdminService {
    private final Store store;
    private final GroupManagementService management;

    public GroupAdminService(Store store, GroupManagementService management) {
        this.store = store;
        this.management = management;
    }

    /**
     * Changes name, introduction and avatar; a null keeps the current value. The name shows in members' lists. The
     * same use case as {@code upgroup}: members get its notice.
     */
    public Group update(long appId, long groupId, String name, String introduction, String avatar) {
        management.update(GroupManagementService.Operator.adminApi(appId), groupId, name, introduction, avatar).join();
        return store.read(tx -> GroupService.requireGroup(tx, appId, groupId));
    }

    /** Deletes the group, its messages and every member's conversation with it. */
    public void delete(long appId, long groupId) {
        store.write(tx -> {
            GroupService.requireGroup(tx, appId, groupId);
            tx.accounts().deleteGroup(groupId);
            return null;
        }).join();
    }

    /** Makes a member the owner; the previous owner becomes an admin. The same use case as {@code transfergroup}. */
    public Group transferOwner(long appId, long groupId, long newOwnerId) {
        management.transferOwner(GroupManagementService.Operator.adminApi(appId), groupId, newOwnerId).join();
        return store.read(tx -> GroupService.requireGroup(tx, appId, groupId));
    }

    /** One page of members: owner first, then admins, then by user id. */
    public List<GroupMember> members(long appId, long groupId, Paging page) {
        return store.read(tx -> {
            GroupService.requireGroup(tx, appId, groupId);
            return tx.groups().membersPage(groupId, null, page.limit(), page.offset());
        });
    }
}
