package io.imserver.store;

import java.util.List;
import java.util.Optional;

/** Groups, their members, and the head of each group's message stream. */
public interface GroupRepository {
    Group create(long appId, String name, String introduction, String avatar, long ownerId, long nowMs);

    Optional<Group> find(long appId, long groupId);

    List<GroupMember> members(long groupId);

    Optional<GroupMember> member(long groupId, long userId);

    /** Adds the member or updates its role and label. */
    void putMember(GroupMember member);

    /** @return whether the user was a member */
    boolean removeMember(long groupId, long userId);

    /** Moves the group's head to {@code seq} (which must be {@code lastSeq + 1}) and describes its newest message. */
    void advanceHead(long groupId, long seq, long messageId, long senderId, String senderName, String preview,
                     long timeMs);

    /** Groups the user is in: {@code managedOnly} true = as owner or admin, false = as plain member, null = all. */
    List<Group> byMember(long appId, long userId, Boolean managedOnly);

    /** If the group's newest message is {@code messageId}, its preview becomes {@code preview}; members' views change. */
    void messageChanged(long groupId, long messageId, String preview);

    /** Of the active members but {@code senderId} who could see {@code seq}: how many, and how many have read it. */
    ReadTally readTally(long groupId, long seq, long senderId);

    /** How many members have read a group message, of how many who could see it. */
    record ReadTally(long read, long members) {
    }

    int memberCount(long groupId);

    /** One page of members with {@code role} (null: all), owner first, then admins, then by user id. */
    List<GroupMember> membersPage(long groupId, GroupRole role, int limit, int offset);

    /** Turns mute all on or off; members' views change. */
    void setMuteAll(long groupId, boolean on, long nowMs);

    /** Sets the announcement (empty: none); members' views change. */
    void setAnnouncement(long groupId, String announcement, long nowMs);
}
