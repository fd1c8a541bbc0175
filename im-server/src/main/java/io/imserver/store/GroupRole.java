package io.imserver.store;

/** A member's role; the numbers are those of {@code GroupUser.type}. */
public enum GroupRole {
    MEMBER(1), ADMIN(2), OWNER(3);

    private final int code;

    GroupRole(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean canManage() {
        return this != MEMBER;
    }

    public static GroupRole of(int code) {
        for (var r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("group role: " + code + " (expected: 1, 2 or 3)");
    }
}
