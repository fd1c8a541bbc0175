package io.imserver.store;

/** An active member's place in a group: its conversation with the group, and the seq it joined after. */
public record GroupSeat(long conversationId, long joinedSeq) {
}
