package io.imserver.api;

import static io.imserver.api.AdminRoutes.id;
import static io.imserver.api.AdminRoutes.requireGet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.imserver.auth.Identity;
import io.imserver.messaging.Paging;
import io.imserver.store.Group;
import io.imserver.store.Webhook;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pb.ConversationReq;
import pb.SendMessage;

/**
 * The admin API's business operations (docs/API.md): messages as a user or the system, broadcasts, conversations and
 * their messages, devices, token revocation, disabling an app, deleting users, group update/delete/owner/members,
 * webhooks. Answers null when the request is none of these, for {@link AdminRoutes} to try.
 */
final class BusinessRoutes {
    private static final Pattern APP_DISABLE = Pattern.compile("/api/v1/apps/(\\d+)/(disable|enable)");
    private static final Pattern USER = Pattern.compile("/api/v1/apps/(\\d+)/users/(\\d+)");
    private static final Pattern REVOKE = Pattern.compile("/api/v1/apps/(\\d+)/users/(\\d+)/revoke-tokens");
    private static final Pattern DEVICES = Pattern.compile("/api/v1/apps/(\\d+)/users/(\\d+)/devices");
    private static final Pattern DEVICE = Pattern.compile("/api/v1/apps/(\\d+)/users/(\\d+)/devices/(\\d+)");
    private static final Pattern CONVERSATIONS = Pattern.compile("/api/v1/apps/(\\d+)/users/(\\d+)/conversations");
    private static final Pattern MESSAGES_OF = Pattern.compile("/api/v1/apps/(\\d+)/conversations/(\\d+)/messages");
    private static final Pattern MESSAGES = Pattern.compile("/api/v1/apps/(\\d+)/messages");
    private static final Pattern BROADCASTS = Pattern.compile("/api/v1/apps/(\\d+)/broadcasts");
    private static final Pattern GROUP = Pattern.compile("/api/v1/apps/(\\d+)/groups/(\\d+)");
    private static final Pattern OWNER = Pattern.compile("/api/v1/apps/(\\d+)/groups/(\\d+)/owner");
    private static final Pattern MEMBERS = Pattern.compile("/api/v1/apps/(\\d+)/groups/(\\d+)/members");
    private static final Pattern WEBHOOK = Pattern.compile("/api/v1/apps/(\\d+)/webhook");
    private static final JsonFormat.Printer PROTO = JsonFormat.printer().preservingProtoFieldNames();

    private final ObjectMapper json;
    private final AdminUseCases use;
    private final AdminRoutes base;

    BusinessRoutes(ObjectMapper json, AdminUseCases use, AdminRoutes base) {
        this.json = json;
        this.use = use;
        this.base = base;
    }

    AdminRoutes.Reply route(HttpMethod method, String path, Map<String, List<String>> query, JsonNode body) {
        Matcher m;
        if ((m = APP_DISABLE.matcher(path)).matches()) {
            AdminRoutes.requireMethod(HttpMethod.POST, method, path);
            long at = use.accounts().setAppDisabled(id(m, 1), m.group(2).equals("disable"));
            return ok(json.createObjectNode().put("app_id", id(m, 1)).put("disabled_at", at));
        }
        if ((m = USER.matcher(path)).matches() && method.equals(HttpMethod.DELETE)) {
            use.accounts().deleteUser(id(m, 1), id(m, 2));
            return ok(json.createObjectNode().put("deleted", true));
        }
        if ((m = REVOKE.matcher(path)).matches()) {
            AdminRoutes.requireMethod(HttpMethod.POST, method, path);
            return ok(json.createObjectNode().put("revoked_at", use.accounts().revokeTokens(id(m, 1), id(m, 2))));
        }
        if ((m = DEVICES.matcher(path)).matches()) {
            requireGet(method, path);
            use.directory().user(id(m, 1), id(m, 2));
            var node = json.createObjectNode();
            var devices = node.putArray("device_ids");
            use.accounts().onlineDevices(id(m, 1), id(m, 2)).forEach(devices::add);
            return ok(node);
        }
        if ((m = DEVICE.matcher(path)).matches()) {
            AdminRoutes.requireMethod(HttpMethod.DELETE, method, path);
            return ok(json.createObjectNode().put("kicked", use.accounts().kickDevice(id(m, 1), id(m, 2), id(m, 3))));
        }
        if ((m = CONVERSATIONS.matcher(path)).matches()) {
            requireGet(method, path);
            use.directory().user(id(m, 1), id(m, 2));
            var list = use.conversations().list(new Identity(id(m, 1), id(m, 2), 0), ConversationReq.newBuilder()
                    .setLimit(JsonFields.query(query, "limit")).setOffset(JsonFields.query(query, "offset")).build());
            return ok(proto(list));
        }
        if ((m = MESSAGES_OF.matcher(path)).matches()) {
            requireGet(method, path);
            return ok(proto(use.history().messages(id(m, 1), id(m, 2), paging(query))));
        }
        if ((m = MESSAGES.matcher(path)).matches()) {
            AdminRoutes.requireMethod(HttpMethod.POST, method, path);
            var message = SendMessage.newBuilder()
                    .setSenderType((int) JsonFields.number(body, "sender_type", 0))
                    .setSenderId(JsonFields.number(body, "sender_id", 0))
                    .setReceiverType((int) JsonFields.number(body, "receiver_type", 0))
                    .setReceiverId(JsonFields.number(body, "receiver_id", 0))
                    .addAllToUserIds(JsonFields.ids(body, "to_user_ids"))
                    .setMessageBody(JsonFields.messageBody(body))
                    .setClientMsgId(JsonFields.text(body, "client_msg_id", ""))
                    .build();
            return ok(proto(use.messages().send(id(m, 1), 0, message).join()));
        }
        if ((m = BROADCASTS.matcher(path)).matches()) {
            AdminRoutes.requireMethod(HttpMethod.POST, method, path);
            var items = use.system().broadcast(id(m, 1), JsonFields.number(body, "sender_id", 0),
                    JsonFields.ids(body, "user_ids"), JsonFields.messageBody(body),
                    JsonFields.text(body, "client_msg_id", "")).join();
            var node = json.createObjectNode();
            var array = node.putArray("messages");
            items.forEach(item -> array.add(proto(item)));
            return ok(node);
        }
        if ((m = OWNER.matcher(path)).matches()) {
            AdminRoutes.requireMethod(HttpMethod.PUT, method, path);
            return ok(group(use.groupAdmin().transferOwner(id(m, 1), id(m, 2), JsonFields.number(body, "user_id", 0))));
        }
        if ((m = MEMBERS.matcher(path)).matches()) {
            requireGet(method, path);
            var node = json.createObjectNode();
            var members = node.putArray("members");
            use.groupAdmin().members(id(m, 1), id(m, 2), paging(query)).forEach(mem -> members.add(base.member(mem)));
            return ok(node);
        }
        if ((m = GROUP.matcher(path)).matches() && method.equals(HttpMethod.PATCH)) {
            return ok(group(use.groupAdmin().update(id(m, 1), id(m, 2), JsonFields.text(body, "name", null),
                    JsonFields.text(body, "introduction", null), JsonFields.text(body, "avatar", null))));
        }
        if ((m = GROUP.matcher(path)).matches() && method.equals(HttpMethod.DELETE)) {
            use.groupAdmin().delete(id(m, 1), id(m, 2));
            return ok(json.createObjectNode().put("deleted", true));
        }
        if ((m = WEBHOOK.matcher(path)).matches()) {
            long appId = id(m, 1);
            if (method.equals(HttpMethod.PUT)) {
                return ok(webhook(use.webhooks().put(appId, JsonFields.text(body, "url", null),
                        JsonFields.text(body, "secret", null), JsonFields.texts(body, "events"),
                        JsonFields.bool(body, "before_send", false), JsonFields.number(body, "before_send_timeout_ms", 0),
                        !JsonFields.bool(body, "fail_closed", false))));
            }
            if (method.equals(HttpMethod.DELETE)) {
                use.webhooks().delete(appId);
                return ok(json.createObjectNode().put("deleted", true));
            }
            requireGet(method, path);
            return ok(webhook(use.webhooks().get(appId)));
        }
        return null;
    }

    private static Paging paging(Map<String, List<String>> query) {
        return Paging.of(JsonFields.query(query, "limit"), JsonFields.query(query, "offset"));
    }

    private static AdminRoutes.Reply ok(JsonNode body) {
        return new AdminRoutes.Reply(200, body);
    }

    private ObjectNode group(Group g) {
        return json.createObjectNode().put("group_id", g.groupId()).put("app_id", g.appId()).put("name", g.name())
                .put("introduction", g.introduction()).put("avatar", g.avatar()).put("owner_id", g.ownerId())
                .put("created_at", g.createdAt()).put("updated_at", g.updatedAt());
    }

    private ObjectNode webhook(Webhook w) {
        var node = json.createObjectNode().put("app_id", w.appId()).put("url", w.url()).put("secret", w.secret())
                .put("before_send", w.beforeSend()).put("before_send_timeout_ms", w.beforeSendTimeoutMs())
                .put("fail_closed", !w.failOpen()).put("created_at", w.createdAt()).put("updated_at", w.updatedAt());
        var events = node.putArray("events");
        w.events().stream().sorted().forEach(events::add);
        return node;
    }

    /** A protobuf reply as JSON with the schema's snake_case names (int64 values as strings, as proto JSON does). */
    private JsonNode proto(MessageOrBuilder message) {
        try {
            return json.readTree(PROTO.print(message));
        } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply as JSON: " + e.getMessage(), e);
        }
    }
}
