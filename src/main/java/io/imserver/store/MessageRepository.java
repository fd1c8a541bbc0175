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
}
