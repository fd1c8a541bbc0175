package io.imserver.store;

/**
 * A current member of a group. {@code label} is the member's display name in the group, empty if unset;
 * {@code mutedUntil} the Unix ms until which it may not send (0 not muted, {@link #UNTIL_UNMUTED} until unmuted).
 */
public record GroupMember(long groupId, long userId, long appId, GroupRole role, String label, long joinedAt,
                          long mutedUntil) {
    /** {@code mutedUntil} of a member muted until someone unmutes it. */
    public static final long UNTIL_UNMUTED = Long.MAX_VALUE;

    /** A member that is not muted. */
    public GroupMember(long groupId, long userId, long appId, GroupRole role, String label, long joinedAt) {
        this(groupId, userId, appId, role, label, joinedAt, 0);
    }

    public GroupMember withRole(GroupRole newRole) {
        return new GroupMember(groupId, userId, appId, newRole, label, joinedAt, mutedUntil);
    }

    public GroupMember withLabel(String newLabel) {
        return new GroupMember(groupId, userId, appId, role, newLabel, joinedAt, mutedUntil);
    }

    public GroupMember withMutedUntil(long until) {
        return new GroupMember(groupId, userId, appId, role, label, joinedAt, until);
    }

    /** Whether the member may not send at {@code nowMs} because it was muted. */
    public boolean mutedAt(long nowMs) {
        return mutedUntil > nowMs;
    }
}
