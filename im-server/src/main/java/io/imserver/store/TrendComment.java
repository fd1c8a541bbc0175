package io.imserver.store;

/**
 * A comment on a post ({@code istype} 1) or a reply ({@code istype} 2) to comment {@code commentId} of user
 * {@code replyUserId}; profiles of writer and replied-to user. Times are Unix ms.
 */
public record TrendComment(long id, long trendId, long userId, int istype, long commentId, long replyUserId,
                           String writing, long createdAt, String nickname, String avatarUrl, String replyNickname,
                           String replyAvatarUrl) {
}
