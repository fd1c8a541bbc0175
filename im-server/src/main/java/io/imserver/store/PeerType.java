package io.imserver.store;

/** What a conversation is with, and the stream its messages live in; numbers are {@code receiver_type}'s. */
public enum PeerType {
    /** 1:1 with a user: write diffusion, the stream is the owner's own conversation. */
    USER(1),
    /** A group: read diffusion, the stream is the group's. */
    GROUP(2);

    private final int code;

    PeerType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static PeerType of(int code) {
        return switch (code) {
            case 1 -> USER;
            case 2 -> GROUP;
            default -> throw new IllegalArgumentException("receiver type: " + code + " (expected: 1 user or 2 group)");
        };
    }
}
