package io.imserver.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.imserver.store.StoredMessage;
import pb.MessageBody;
import pb.MessageItem;

/** Stored records as the wire's {@code MessageItem}, in the conversation of the user who receives them. */
final class MessageItems {
    private MessageItems() {
    }

    static MessageItem of(StoredMessage m, long conversationId) {
        MessageBody body;
        try {
            body = MessageBody.parseFrom(m.body());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored message " + m.id() + " has an unreadable body", e);
        }
        return MessageItem.newBuilder()
                .setId(m.id())
                .setSenderType(m.senderType())
                .setSenderId(m.senderId())
                .setReceiverType(m.receiverType())
                .setReceiverId(m.receiverId())
                .addAllToUserIds(m.toUserIds())
                .setMessageBody(body)
                .setSendTime(m.sendTime())
                .setStatus(m.status())
                .setSenderName(m.senderName())
                .setSenderAvatar(m.senderAvatar())
                .setConversationId(conversationId)
                .setHelp(m.help())
                .setConversationMessage(m.preview())
                .setSeq(m.seq())
                .build();
    }
}
