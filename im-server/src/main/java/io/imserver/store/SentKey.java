package io.imserver.store;

/** A sender's client message id: the key of its exactly-once entry ({@link MessageRepository#sentWithClientId}). */
public record SentKey(long appId, long senderId, String clientMsgId) {
}
