package io.imserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imserver.protocol.ImException;
import io.imserver.store.App;
import io.imserver.store.AppLimits;
import io.imserver.store.GroupMember;
import io.imserver.store.GroupRole;
import io.imserver.store.User;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API's routes under {@code /api/v1}, each onto a use case. Bodies and replies are JSON with snake_case
 * names. Failures are {@link ImException}s, which {@link AdminHttpHandler} turns into statuses.
 */
final class AdminRoutes {
    private static String text(JsonNode body, String field, String fallback) {
        return JsonFields.text(body, field, fallback);
    }

    private static long number(JsonNode body, String field, long fallback) {
        return JsonFields.number(body, field, fallback);
    }

    private static List<Long> ids(JsonNode body, String field) {
        return JsonFields.ids(body, field);
    }

    private static final Pattern APP = Pattern.compile("/api/v1/apps/(\\d+)");
    private static final Pattern RATE_LIMITS = Pattern.compile("/api/v1/apps/(\\d+)/rate-limits");
    private static final Pattern USER = Pattern.compile("/api/v1/apps/(\\d+)/users/(\\d+)");
    private static final Pattern TOKENS = Pattern.compile("/api/v1/apps/(\\d+)/tokens");
    private static final Pattern GROUPS = Pattern.compile("/api/v1/apps/(\\d+)/groups");
    private static final Pattern GROUP = Pattern.compile("/api/v1/apps/(\\d+)/groups/(\\d+)");
    private static final Pattern MEMBER = Pattern.compile("/api/v1/apps/(\\d+)/groups/(\\d+)/members/(\\d+)");

    /** A route's reply: a status and a JSON body. */
    record Reply(int status, JsonNode body) {
    }

    /** The path matched no route, or the method is not allowed on it. */
    static final class NoRoute extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        NoRoute(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final ObjectMapper json;
    private final AdminUseCases useCases;
    private final BusinessRoutes business;

    AdminRoutes(ObjectMapper json, AdminUseCases useCases) {
        this.json = json;
        this.useCases = useCases;
        this.business = new BusinessRoutes(json, useCases, this);
    }

    Reply route(HttpMethod method, String path, Map<String, List<String>> query, JsonNode body) {
        var directory = useCases.directory();
        var groups = useCases.groups();
        var other = business.route(method, path, query, body);
        if (other != null) {
            return other;
        }
        Matcher m;
        if ((m = APP.matcher(path)).matches()) {
            long appId = id(m, 1);
            if (method.equals(HttpMethod.PUT)) {
                // read before anything changes: a bad value changes nothing
                Boolean friendsOnly = body != null && body.has("friends_only")
                        ? JsonFields.bool(body, "friends_only", false) : null;
                var app = directory.putApp(appId, text(body, "name", null));
                if (friendsOnly != null) {
                    useCases.accounts().setFriendsOnly(appId, friendsOnly);
                }
                if (body != null && body.has("max_group_members")) {
                    groups.setMaxGroupMembers(appId, number(body, "max_group_members", 0));
                }
                return ok(app(app));
            }
            requireGet(method, path);
            return ok(app(directory.app(appId)));
        }
        if ((m = RATE_LIMITS.matcher(path)).matches()) {
            long appId = id(m, 1);
            if (method.equals(HttpMethod.PUT)) {
                directory.setLimits(appId, new AppLimits(rate(body, "conn_per_s"), rate(body, "conn_burst"),
                        rate(body, "user_per_s"), rate(body, "user_burst")));
            } else {
                requireGet(method, path);
                directory.app(appId);
            }
            return ok(rateLimits(directory.limitsOf(appId)));
        }
        if ((m = USER.matcher(path)).matches()) {
            long appId = id(m, 1);
            long userId = id(m, 2);
            if (method.equals(HttpMethod.PUT)) {
                return ok(user(directory.putUser(appId, userId, text(body, "nickname", ""),
                        text(body, "avatar_url", ""), (int) number(body, "sex", 0), text(body, "sign", ""),
                        text(body, "account", ""))));
            }
            requireGet(method, path);
            return ok(user(directory.user(appId, userId)));
        }
        if ((m = TOKENS.matcher(path)).matches()) {
            requireMethod(HttpMethod.POST, method, path);
            var token = directory.issueToken(id(m, 1), number(body, "user_id", 0), number(body, "device_id", 0),
                    number(body, "ttl_seconds", 86_400));
            return ok(json.createObjectNode().put("token", token.token()).put("expires_at", token.expiresAt()));
        }
        if ((m = GROUPS.matcher(path)).matches()) {
            requireMethod(HttpMethod.POST, method, path);
            var created = groups.create(id(m, 1), text(body, "name", ""), text(body, "introduction", ""),
                    text(body, "avatar", ""), number(body, "owner_id", 0), ids(body, "member_ids")).join();
            return new Reply(201, json.createObjectNode().put("group_id", created.group().groupId()));
        }
        if ((m = GROUP.matcher(path)).matches()) {
            requireGet(method, path);
            var details = groups.details(id(m, 1), id(m, 2));
            var node = json.createObjectNode()
                    .put("group_id", details.group().groupId())
                    .put("app_id", details.group().appId())
                    .put("name", details.group().name())
                    .put("introduction", details.group().introduction())
                    .put("avatar", details.group().avatar())
                    .put("owner_id", details.group().ownerId())
                    .put("created_at", details.group().createdAt())
                    .put("updated_at", details.group().updatedAt());
            var members = node.putArray("members");
            details.members().forEach(mem -> members.add(member(mem)));
            return ok(node);
        }
        if ((m = MEMBER.matcher(path)).matches()) {
            long appId = id(m, 1);
            long groupId = id(m, 2);
            long userId = id(m, 3);
            if (method.equals(HttpMethod.PUT)) {
                var roleText = text(body, "role", null);
                var role = roleText == null ? null : role(roleText);
                return ok(member(groups.putMember(appId, groupId, userId, role, text(body, "label", null)).join()));
            }
            requireMethod(HttpMethod.DELETE, method, path);
            groups.removeMember(appId, groupId, userId).join();
            return new Reply(200, json.createObjectNode().put("removed", true));
        }
        throw new NoRoute(404, "no such path: " + path);
    }

    static GroupRole role(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "member" -> GroupRole.MEMBER;
            case "admin" -> GroupRole.ADMIN;
            default -> throw ImException.invalid("role: " + text + " (expected: member or admin)");
        };
    }

    private Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    ObjectNode app(App a) {
        return json.createObjectNode().put("app_id", a.appId()).put("name", a.name()).put("secret", a.secret())
                .put("created_at", a.createdAt()).put("updated_at", a.updatedAt())
                .put("disabled_at", useCases.accounts().appDisabledAt(a.appId()))
                .put("friends_only", useCases.accounts().friendsOnly(a.appId()))
                .put("max_group_members", useCases.groups().maxGroupMembers(a.appId()));
    }

    private static int rate(JsonNode body, String field) {
        return io.imserver.messaging.DirectoryService.requireRate(field, number(body, field, 0));
    }

    /** An app's own rates; 0 means the server's setting. */
    ObjectNode rateLimits(AppLimits l) {
        return json.createObjectNode().put("conn_per_s", l.connPerSecond()).put("conn_burst", l.connBurst())
                .put("user_per_s", l.userPerSecond()).put("user_burst", l.userBurst());
    }

    ObjectNode user(User u) {
        return json.createObjectNode().put("app_id", u.appId()).put("user_id", u.userId())
                .put("nickname", u.nickname()).put("avatar_url", u.avatarUrl()).put("sex", u.sex())
                .put("sign", u.sign()).put("account", u.account())
                .put("created_at", u.createdAt()).put("updated_at", u.updatedAt());
    }

    ObjectNode member(GroupMember m) {
        return json.createObjectNode().put("user_id", m.userId())
                .put("role", m.role().name().toLowerCase(Locale.ROOT)).put("label", m.label())
                .put("joined_at", m.joinedAt());
    }

    static void requireGet(HttpMethod method, String path) {
        requireMethod(HttpMethod.GET, method, path);
    }

    static void requireMethod(HttpMethod expected, HttpMethod method, String path) {
        if (!expected.equals(method)) {
            throw new NoRoute(405, method + " is not allowed on " + path);
        }
    }

    static long id(Matcher m, int group) {
        try {
            return Long.parseLong(m.group(group));
        } catch (NumberFormatException e) {
            throw ImException.invalid("id in path: " + m.group(group) + " (expected: a 64-bit integer)");
        }
    }
}
