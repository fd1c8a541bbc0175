package io.imserver.store;

/** A like of a post, with the liker's profile. Times are Unix ms. */
public record TrendThumb(long id, long trendId, long userId, long createdAt, String nickname, String avatarUrl) {
}
