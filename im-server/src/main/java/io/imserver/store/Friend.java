package io.imserver.store;

/**
 * One direction of a friendship: {@code userId}'s entry for {@code friendId}, with the remark {@code userId} gave
 * it and the friend's profile. Times are Unix ms.
 */
public record Friend(long appId, long userId, long friendId, String remark, int way, long createdAt, long updatedAt,
                     String nickname, String avatarUrl) {
}
