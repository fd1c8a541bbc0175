package io.imserver.messaging.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.imserver.store.StoredMessage;
import pb.MessageBody;

/** JSON bodies of webhook calls: {@code {"event", "app_id", "created_at", ...}}; protobuf parts in proto JSON. */
final class WebhookPayloads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Printer PROTO = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    private WebhookPayloads() {
    }

    static ObjectNode event(String event, long appId, long nowMs) {
        return JSON.createObjectNode().put("event", event).put("app_id", appId).put("created_at", nowMs);
    }

    /** Adds {@code message} as proto JSON (snake_case field names, int64 as strings). */
    static ObjectNode with(ObjectNode node, String field, MessageOrBuilder message) {
        try {
            node.set(field, JSON.readTree(PROTO.print(message)));
            return node;
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + field + " as JSON: " + e.getMessage(), e);
        }
    }

    /** A stored record as JSON: the message with its body in proto JSON, its conversation and owner for 1:1. */
    static ObjectNode message(ObjectNode node, StoredMessage m, long conversationId, long ownerId) {
        var msg = node.putObject("message")
                .put("id", m.id())
                .put("seq", m.seq())
                .put("conversation_id", conversationId)
                .put("owner_id", ownerId)
                .put("sender_type", m.senderType())
                .put("sender_id", m.senderId())
                .put("sender_device_id", m.senderDeviceId())
                .put("receiver_type", m.receiverType())
                .put("receiver_id", m.receiverId())
                .put("send_time", m.sendTime())
                .put("status", m.status())
                .put("sender_name", m.senderName())
                .put("preview", m.preview())
                .put("client_msg_id", m.clientMsgId());
        var mentions = msg.putArray("to_user_ids");
        m.toUserIds().forEach(mentions::add);
        if (m.body().length > 0) {
            try {
                with(msg, "message_body", MessageBody.parseFrom(m.body()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("stored message " + m.id() + " has an unreadable body", e);
            }
        }
        return node;
    }

    static String text(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook body: " + e.getMessage(), e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
