package io.imserver.store;

/** A current member of a group. {@code label} is the member's display name in the group, empty if unset. */
public record GroupMember(long groupId, long userId, long appId, GroupRole role, String label, long joinedAt) {
}
