package io.imserver.messaging.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

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
