package io.imserver.store;

/** A user inside an app. {@code sex}: 0 unknown, 1 male, 2 female. Times are Unix ms. */
public record User(long appId, long userId, String nickname, String avatarUrl, int sex, String sign, String account,
                   long createdAt, long updatedAt) {
}
