package io.imserver.protocol;

/**
 * Every {@code Output.code} the server uses. docs/PROTOCOL.md lists the same table; keep them in step.
 * 200 is success; 1 is the reference system's "not signed in"; the rest follow HTTP's meanings.
 */
public enum ErrorCode {
    OK(200),
    /** A command other than {@code sign} arrived before sign succeeded. */
    NOT_SIGNED_IN(1),
    /** A request's fields are missing or out of range. */
    INVALID_REQUEST(400),
    /** The token is malformed, forged, for another app, or names another user or device. */
    TOKEN_INVALID(401),
    /** The token was valid but its {@code exp} has passed. */
    TOKEN_EXPIRED(419),
    /** Not yours, not a member, or no role for that. */
    FORBIDDEN(403),
    /** The user, group, conversation or message does not exist. */
    NOT_FOUND(404),
    /** The {@code type} names no command. */
    UNKNOWN_COMMAND(405),
    /** A frame's {@code auth} names another app/user/device than the signed-in one. */
    IDENTITY_MISMATCH(409),
    /** Pushed as type {@code kick}: the same app/user/device signed in on another connection. */
    REPLACED(410),
    /**
     * The app's before-send webhook refused the message (the message says why), or, with the hook set to
     * fail-closed, did not answer in time. Nothing was stored.
     */
    REJECTED(451),
    /** A frame that is not a decodable {@code Input}; the reply has type {@code error}. */
    MALFORMED_FRAME(422),
    /** Too many requests in flight on this connection. */
    RATE_LIMITED(429),
    /** An unexpected server fault; the request may not have taken effect. */
    INTERNAL_ERROR(500),
    /** Storage is unavailable or overloaded; the request did not take effect. Retry later. */
    SERVER_BUSY(503),
    /** The receiver has blocked the sender: the 1:1 message was refused and nothing was stored. */
    BLOCKED(460),
    /** The app sends 1:1 only between friends ("friends only" is on) and the receiver is not the sender's friend. */
    NOT_FRIENDS(461),
    /** The sender is muted in this group, or the group is muted (mute all) and the sender is a plain member. */
    MUTED(462),
    /** Adding would take the group past its app's member limit; nobody was added. */
    GROUP_FULL(463);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
