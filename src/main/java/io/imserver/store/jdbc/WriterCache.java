package io.imserver.store.jdbc;

import io.imserver.store.StreamHead;
import io.imserver.store.User;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the writer would otherwise read for every message: user profiles, 1:1 stream heads, group memberships and
 * the seats of a group's active members. Only the writer
 * thread fills it and changes it, in step with its own writes; a failed write clears it all.
 *
 * @implNote Filled by the writer alone so that it never holds a value older than the database; readers may use
 * the profiles. A cache per read connection would need invalidation across threads for no gain.
 */
final class WriterCache {
    record UserKey(long appId, long userId) {
    }

    record DirectKey(long appId, long ownerId, long peerId) {
    }

    final ConcurrentHashMap<UserKey, User> users = new ConcurrentHashMap<>();
    /** Touched by the writer thread only. */
    final java.util.HashMap<DirectKey, StreamHead> directHeads = new java.util.HashMap<>();
    /** Conversation id to its key, to keep heads current on advance. */
    final java.util.HashMap<Long, DirectKey> directKeys = new java.util.HashMap<>();
    /** Group id to its active members' seats. */
    final java.util.HashMap<Long, java.util.Map<Long, io.imserver.store.GroupSeat>> groupSeats = new java.util.HashMap<>();
    /** (group, user) to the membership, or empty for a non-member. */
    final java.util.HashMap<DirectKey, java.util.Optional<io.imserver.store.GroupMember>> members = new java.util.HashMap<>();

    void clear() {
        groupSeats.clear();
        members.clear();
        users.clear();
        directHeads.clear();
        directKeys.clear();
    }
}
