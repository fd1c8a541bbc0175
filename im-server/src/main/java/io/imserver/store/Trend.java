package io.imserver.store;

/** A post of a user's moments ("circle"), with its author's profile and counts. Times are Unix ms. */
public record Trend(long id, long appId, long userId, String writing, String imgs, String videos, long createdAt,
                    long updatedAt, String nickname, String avatarUrl, long thumbCount, long commentCount) {
}
