package io.imserver.store;

/** Which list a stored message belongs to. */
public enum StreamType {
    /** A user's own 1:1 conversation (write diffusion: one copy per participant); stream id = conversation id. */
    CONVERSATION(1),
    /** A group (read diffusion: one copy for all members); stream id = group id. */
    GROUP(2);

    private final int code;

    StreamType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static StreamType of(int code) {
        return code == 1 ? CONVERSATION : GROUP;
    }
}
