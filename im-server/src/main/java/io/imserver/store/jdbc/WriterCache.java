package io.imserver.store.jdbc;

import io.imserver.store.GroupMember;
import io.imserver.store.GroupSeat;
import io.imserver.store.StreamHead;
import io.imserver.store.User;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the writer would otherwise read for every message: user profiles, 1:1 stream heads, group memberships and
 * the seats of a group's active members. Only the writer thread fills it and changes it, in step with its own
 * writes; a failed write clears it all, and a map past its bound is emptied before the next batch.
 *
 * @implNote Filled by the writer alone so that it never holds a value older than the database; readers may use
 * the profiles. A cache per read connection would need invalidation across threads for no gain. Emptying a full map
 * instead of evicting one entry at a time keeps the hot path free of LRU bookkeeping; it refills in one batch.
 */
final class WriterCache {
    static final int MAX_USERS = 200_000;
    static final int MAX_DIRECT_HEADS = 400_000;
    static final int MAX_GROUPS = 20_000;
    static final int MAX_MEMBERS = 400_000;

    record UserKey(long appId, long userId) {
    }

    record DirectKey(long appId, long ownerId, long peerId) {
    }

    final ConcurrentHashMap<UserKey, User> users = new ConcurrentHashMap<>();
    /** Touched by the writer thread only, like every map below. */
    final HashMap<DirectKey, StreamHead> directHeads = new HashMap<>();
    /** Conversation id to its key, to keep heads current on advance. */
    final HashMap<Long, DirectKey> directKeys = new HashMap<>();
    /** Group id to its active members' seats. */
    final HashMap<Long, Map<Long, GroupSeat>> groupSeats = new HashMap<>();
    /** (group, user) to the membership, or empty for a non-member. */
    final HashMap<DirectKey, Optional<GroupMember>> members = new HashMap<>();
    /** (app, user, friend): whether friend is the user's friend. */
    final HashMap<DirectKey, Boolean> friendships = new HashMap<>();
    /** (app, user) to the users it has blocked: one read per receiver, not per pair. */
    final HashMap<UserKey, java.util.Set<Long>> blocks = new HashMap<>();
    /** What the 1:1 send checks of an app: its friends-only option, and whether any of its users blocks anyone. */
    record AppRules(boolean friendsOnly, boolean anyBlocks) {
    }

    /** App id to its rules: with neither, a send needs no per-user lookup. */
    final HashMap<Long, AppRules> appRules = new HashMap<>();
    /** The current batch's client message id entries, read at its start (empty: none); replaced every batch. */
    final HashMap<io.imserver.store.SentKey, Optional<io.imserver.store.SentMessage>> sentEntries = new HashMap<>();

    /**
     * Empties what another node may change once this node's batch has released its locks: stream heads, group
     * memberships and seats. Profiles stay: a change on any node is announced, and drops them then.
     */
    void clearBatchScoped() {
        groupSeats.clear();
        members.clear();
        directHeads.clear();
        directKeys.clear();
        clearSocial();
    }

    private void clearSocial() {
        friendships.clear();
        blocks.clear();
        appRules.clear();
    }

    void clear() {
        clearSocial();
        sentEntries.clear();
        groupSeats.clear();
        members.clear();
        users.clear();
        directHeads.clear();
        directKeys.clear();
    }

    /** Writer thread, between batches: empties any map past its bound. */
    void trim() {
        if (users.size() > MAX_USERS) {
            users.clear();
        }
        if (directHeads.size() > MAX_DIRECT_HEADS) {
            directHeads.clear();
            directKeys.clear();
        }
        if (groupSeats.size() > MAX_GROUPS) {
            groupSeats.clear();
        }
        if (members.size() > MAX_MEMBERS) {
            members.clear();
        }
        if (friendships.size() + blocks.size() > MAX_MEMBERS) {
            clearSocial();
        }
    }
}
