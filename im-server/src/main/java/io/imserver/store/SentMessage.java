package io.imserver.store;

/**
 * What a client message id was answered with: the sender's record, the sender's conversation holding it, and when
 * (Unix ms; an entry older than the dedup window no longer answers a retry).
 */
public record SentMessage(long messageId, long conversationId, long sentAt) {

    /** Whether this entry was made at or after {@code notBeforeMs} (the start of the dedup window). */
    public boolean sentSince(long notBeforeMs) {
        return sentAt >= notBeforeMs;
    }
}
