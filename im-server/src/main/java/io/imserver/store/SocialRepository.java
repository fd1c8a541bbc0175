package io.imserver.store;

import java.util.List;
import java.util.Optional;

/** The social graph of an app: friendships, blocks, requests ("examine") and the app's friends-only option. */
public interface SocialRepository {
    /** Whether the app sends 1:1 only between friends; false for an unknown app. */
    boolean friendsOnly(long appId);

    /** @return whether the app exists */
    boolean setFriendsOnly(long appId, boolean friendsOnly);

    /** Whether {@code friendId} is among {@code userId}'s friends. */
    boolean areFriends(long appId, long userId, long friendId);

    /** The user's friends by friend id; {@code keyword} (null: all) matches nickname, remark or account. */
    List<Friend> friends(long appId, long userId, String keyword);

    Optional<Friend> friend(long appId, long userId, long friendId);

    /** Makes the two users friends both ways; an existing direction keeps its remark. */
    void befriend(long appId, long userId, String userRemark, long friendId, String friendRemark, int way, long nowMs);

    /** @return whether {@code friendId} was a friend */
    boolean setRemark(long appId, long userId, long friendId, String remark, long nowMs);

    /** Ends the friendship both ways. @return whether they were friends */
    boolean unfriend(long appId, long userId, long friendId);

    /** Whether {@code userId} has blocked {@code blockedId}. */
    boolean blocks(long appId, long userId, long blockedId);

    /** @return whether this is a new block */
    boolean block(long appId, long userId, long blockedId, long nowMs);

    /** @return whether there was a block */
    boolean unblock(long appId, long userId, long blockedId);

    /** Users {@code userId} has blocked, ascending. */
    List<Long> blocked(long appId, long userId);

    /** Stores a new pending request, or replaces the text of the requester's pending one to the same target. */
    Examine putExamine(long appId, long requesterId, int type, long targetId, String remark, int way,
                       String examinetext, long nowMs);

    /** The requester's pending request of this type to this target. */
    Optional<Examine> pendingExamine(long appId, long requesterId, int type, long targetId);

    /** Records the decision (accepted or refused) of a request. */
    void decideExamine(long examineId, int examine, long nowMs);

    /**
     * Requests addressed to the user: friend requests to it and join requests to the groups it owns or administers,
     * newest first.
     */
    List<Examine> examinesFor(long appId, long userId, int limit, int offset);

    /** Marks every request addressed to the user read. */
    void markExaminesRead(long appId, long userId);

    /** How many requests addressed to the user it has not listed yet. */
    long unreadExamines(long appId, long userId);
}
