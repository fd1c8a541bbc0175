package io.imserver.store;

/** What a client message id was answered with: the sender's record and the sender's conversation holding it. */
public record SentMessage(long messageId, long conversationId) {
}
