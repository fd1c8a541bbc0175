package io.imserver.store;

import java.util.List;

/**
 * One stored message record. {@code body} is the serialized {@code pb.MessageBody} exactly as sent, so every
 * message type round-trips byte for byte. {@code status}: 0 normal, 1 recalled, 2 deleted. Times are Unix ms.
 */
public record StoredMessage(long id, long appId, StreamType streamType, long streamId, long seq, int senderType,
                            long senderId, long senderDeviceId, int receiverType, long receiverId,
                            List<Long> toUserIds, int messageType, byte[] body, long sendTime, int status,
                            String senderName, String senderAvatar, int help, String preview) {

    public StoredMessage withId(long newId) {
        return new StoredMessage(newId, appId, streamType, streamId, seq, senderType, senderId, senderDeviceId,
                receiverType, receiverId, toUserIds, messageType, body, sendTime, status, senderName, senderAvatar,
                help, preview);
    }
}
