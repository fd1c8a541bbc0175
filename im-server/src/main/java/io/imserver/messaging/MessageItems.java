package io.imserver.messaging;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.imserver.store.StoredMessage;
import pb.MessageBody;
import pb.MessageItem;

/** Stored records as the wire's {@code MessageItem}, in the conversation of the user who receives them. */
final class MessageItems {
    private MessageItems() {
    }

    static MessageItem of(StoredMessage m, long conversationId) {
        if (m.body().length == 0) { // a recalled or deleted record keeps no content
            return of(m, conversationId, null);
        }
        try {
            return of(m, conversationId, MessageBody.parseFrom(m.body()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored message " + m.id() + " has an unreadable body", e);
        }
    }

    /** As {@link #of(StoredMessage, long)}, with the record's body as already parsed (or null: none). */
    static MessageItem of(StoredMessage m, long conversationId, MessageBody body) {
        var item = MessageItem.newBuilder();
        if (body != null) {
            item.setMessageBody(body);
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

    /**
     * One group record for many members: {@code base} is the item serialized without a conversation id, and each
     * member's copy appends its own {@code conversation_id} field (protobuf reads fields in any order).
     *
     * @implNote Saves a parse, a build and a serialization per member of a large group; the alternative, an item
     * built per member, cost as much as the rest of the fan-out.
     */
    static ByteString withConversation(ByteString base, long conversationId) {
        var out = ByteString.newOutput(base.size() + 11);
        try {
            base.writeTo(out);
            var field = CodedOutputStream.newInstance(out, 16);
            field.writeInt64(MessageItem.CONVERSATION_ID_FIELD_NUMBER, conversationId);
            field.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to an in-memory buffer", e);
        }
        return out.toByteString();
    }
}
