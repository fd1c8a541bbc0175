package io.imserver.store;

import java.util.List;
import java.util.Optional;

/** Stored message records, one list (stream) per 1:1 conversation copy or per group. */
public interface MessageRepository {
    /** Stores the record; its seq must be the next in its stream. @return the record with its new id */
    StoredMessage insert(StoredMessage message);

    Optional<StoredMessage> find(long messageId);

    /** Records of a stream with {@code afterSeq < seq <= upToSeq}, newest first, paged. */
    List<StoredMessage> newestFirst(StreamType type, long streamId, long afterSeq, long upToSeq, int limit,
                                    int offset);

    /** Records of a stream with {@code afterSeq < seq <= upToSeq}, oldest first. */
    List<StoredMessage> oldestFirst(StreamType type, long streamId, long afterSeq, long upToSeq, int limit);

    Optional<StoredMessage> findBySeq(StreamType type, long streamId, long seq);

    /** The newest record at or before {@code maxSeq} in the stream sent by {@code senderId}. */
    Optional<StoredMessage> latestFrom(StreamType type, long streamId, long maxSeq, long senderId);

    /** Sets the status and replaces body and preview (recall: body removed). */
    void rewrite(long messageId, int status, byte[] body, String preview);

    /**
     * The sender's entry for this client message id, however old (one not yet forgotten by {@link #forgetSentBefore}),
     * including one remembered earlier in the same write.
     */
    Optional<SentMessage> sentWithClientId(long appId, long senderId, String clientMsgId);

    /**
     * Remembers the sender's record of a send with a client message id.
     *
     * @param replacing the (expired) entry {@link #sentWithClientId} found for this id, which this replaces; null:
     *     none was found
     */
    void rememberSent(long appId, long senderId, String clientMsgId, long messageId, long conversationId, long nowMs,
                      SentMessage replacing);

    /** Forgets client message ids older than {@code beforeMs}. @return how many */
    int forgetSentBefore(long beforeMs);

    /** Hides a group message from one user (delete for me). */
    void hide(long appId, long userId, long messageId);

    /** Of these message ids, those hidden from the user. */
    java.util.Set<Long> hiddenAmong(long appId, long userId, List<Long> messageIds);
}
