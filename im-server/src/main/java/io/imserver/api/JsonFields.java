package io.imserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.imserver.protocol.ImException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageType;
import pb.Text;

/** Typed reads of request fields (JSON body and query string); a wrong type is a 400 naming the field. */
final class JsonFields {
    private JsonFields() {
    }

    static String text(JsonNode body, String field, String fallback) {
        var node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw ImException.invalid(field + ": " + node + " (expected: a string)");
        }
        return ImException.requireNoNul(field, node.asText());
    }

    static long number(JsonNode body, String field, long fallback) {
        var node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ImException.invalid(field + ": " + node + " (expected: an integer)");
        }
        return node.asLong();
    }

    static boolean bool(JsonNode body, String field, boolean fallback) {
        var node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw ImException.invalid(field + ": " + node + " (expected: true or false)");
        }
        return node.asBoolean();
    }

    static List<Long> ids(JsonNode body, String field) {
        var node = body.get(field);
        var out = new ArrayList<Long>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw ImException.invalid(field + ": " + node + " (expected: an array of ids)");
        }
        for (var element : node) {
            if (!element.isIntegralNumber() || !element.canConvertToLong()) {
                throw ImException.invalid(field + ": " + node + " (expected: an array of ids)");
            }
            out.add(element.asLong());
        }
        return out;
    }

    static List<String> texts(JsonNode body, String field) {
        var node = body.get(field);
        var out = new ArrayList<String>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw ImException.invalid(field + ": " + node + " (expected: an array of strings)");
        }
        for (var element : node) {
            if (!element.isTextual()) {
                throw ImException.invalid(field + ": " + node + " (expected: an array of strings)");
            }
            out.add(element.asText());
        }
        return out;
    }

    /** A query parameter as a non-negative integer (paging), or 0 when absent. */
    static long query(Map<String, List<String>> query, String name) {
        var values = query.get(name);
        if (values == null || values.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(values.get(0));
        } catch (NumberFormatException e) {
            throw ImException.invalid(name + ": " + values.get(0) + " (expected: an integer)");
        }
    }

    /**
     * The message body: {@code message_body} in protobuf JSON ({@code {"message_type": "MT_TEXT", "message_content":
     * {"text": {"text": "hi"}}}}), or the shorthand {@code "text": "hi"} for a text message.
     */
    static MessageBody messageBody(JsonNode body) {
        var proto = body.get("message_body");
        if (proto != null && !proto.isNull()) {
            var builder = MessageBody.newBuilder();
            try {
                JsonFormat.parser().merge(proto.toString(), builder);
            } catch (InvalidProtocolBufferException e) {
                throw ImException.invalid("message_body: " + e.getMessage() + " (expected: pb.MessageBody in JSON)");
            }
            return builder.build();
        }
        var text = text(body, "text", null);
        if (text == null) {
            throw ImException.invalid("message_body: missing (expected: message_body, or text for a text message)");
        }
        return MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))).build();
    }
}
