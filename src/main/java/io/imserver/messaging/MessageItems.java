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
        var item = MessageItem.newBuilder();
        // a recalled or deleted record keeps no content: its item has no message_body at all
        if (m.body().length > 0) {
            try {
                item.setMessageBody(MessageBody.parseFrom(m.body()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("stored message " + m.id() + " has an unreadable body", e);
            }
        }
        return item
                .setId(m.id())
                .setSenderType(m.senderType())
                .setSenderId(m.senderId())
                .setReceiverType(m.receiverType())
                .setReceiverId(m.receiverId())
                .addAllToUserIds(m.toUserIds())
                .setSendTime(m.sendTime())
                .setStatus(m.status())
                .setSenderName(m.senderName())
                .setSenderAvatar(m.senderAvatar())
                .setConversationId(conversationId)
                .setHelp(m.help())
                .setConversationMessage(m.preview())
                .setSeq(m.seq())
                .setClientMsgId(m.clientMsgId())
                .build();
    }

    /** The record as one user sees it after deleting it for themselves: a tombstone that keeps its seq. */
    static MessageItem deletedForMe(StoredMessage m, long conversationId) {
        return of(m, conversationId).toBuilder().setStatus(StoredMessage.STATUS_DELETED)
                .clearMessageBody().setConversationMessage("").build();
    }
}
