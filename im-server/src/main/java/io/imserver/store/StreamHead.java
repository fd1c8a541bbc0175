package io.imserver.store;

/** A 1:1 conversation's id and the seq of the newest message in the owner's stream. */
public record StreamHead(long conversationId, long lastSeq) {
}
