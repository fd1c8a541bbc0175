package io.imserver.store;

/**
 * A request ("examine"): {@code requesterId} asks to befriend user {@code targetId} ({@link #FRIEND}) or to join
 * group {@code targetId} ({@link #JOIN_GROUP}). Times are Unix ms; nickname and avatar are the requester's.
 */
public record Examine(long id, long appId, long requesterId, int type, long targetId, String remark, int way,
                      String examinetext, int examine, boolean read, long createdAt, long updatedAt,
                      String nickname, String avatarUrl) {
    public static final int FRIEND = 1;
    public static final int JOIN_GROUP = 2;
    public static final int PENDING = 0;
    public static final int ACCEPTED = 1;
    public static final int REFUSED = 2;
}
