package io.imserver.store;

import java.util.List;

/**
 * One stored message record. {@code pairSeq}: for a 1:1 copy, the seq of the other participant's copy. {@code body} is the serialized {@code pb.MessageBody} exactly as sent, so every
 * message type round-trips byte for byte. {@code status}: 0 normal, 1 recalled, 2 deleted. Times are Unix ms.
 */
public record StoredMessage(long id, long appId, StreamType streamType, long streamId, long seq, int senderType,
                            long senderId, long senderDeviceId, int receiverType, long receiverId,
                            List<Long> toUserIds, int messageType, byte[] body, long sendTime, int status,
                            String senderName, String senderAvatar, int help, String preview, String clientMsgId,
                            long pairSeq) {
    public static final int STATUS_NORMAL = 0;
    public static final int STATUS_RECALLED = 1;
    public static final int STATUS_DELETED = 2;

    public StoredMessage withId(long newId) {
        return new StoredMessage(newId, appId, streamType, streamId, seq, senderType, senderId, senderDeviceId,
                receiverType, receiverId, toUserIds, messageType, body, sendTime, status, senderName, senderAvatar,
                help, preview, clientMsgId, pairSeq);
    }

    /** This record placed in a stream at a seq; {@code pairSeq}: in 1:1, the seq of the other copy. */
    public StoredMessage inStream(StreamType type, long id, long atSeq, long otherCopySeq) {
        return new StoredMessage(0, appId, type, id, atSeq, senderType, senderId, senderDeviceId, receiverType,
                receiverId, toUserIds, messageType, body, sendTime, status, senderName, senderAvatar, help, preview,
                clientMsgId, otherCopySeq);
    }
}
