package io.imserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** A small client of the admin HTTP API for tests. */
public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A response: status and parsed JSON body (null when the body is not JSON). */
    public record Response(int status, JsonNode body, String text) {
    }

    private final String base;
    private final String token;

    public AdminClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public Response call(String method, String path, Object body) {
        return call(method, path, body, token);
    }

    public Response call(String method, String path, Object body, String bearer) {
        try {
            var publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
            var builder = HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher)
                    .header("Content-Type", "application/json");
            if (bearer != null) {
                builder.header("Authorization", "Bearer " + bearer);
            }
            var response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed;
            try {
                parsed = JSON.readTree(response.body());
            } catch (IOException e) {
                parsed = null;
            }
            return new Response(response.statusCode(), parsed, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode ok(Response r) {
        if (r.status() / 100 != 2) {
            throw new AssertionError("admin call failed: " + r.status() + " " + r.text());
        }
        return r.body();
    }

    public JsonNode putApp(long appId, String name) {
        return ok(call("PUT", "/api/v1/apps/" + appId, Map.of("name", name)));
    }

    public JsonNode putUser(long appId, long userId, String nickname) {
        return ok(call("PUT", "/api/v1/apps/" + appId + "/users/" + userId,
                Map.of("nickname", nickname, "avatar_url", "https://example.test/" + userId + ".png")));
    }

    public String token(long appId, long userId, long deviceId, long ttlSeconds) {
        return ok(call("POST", "/api/v1/apps/" + appId + "/tokens",
                Map.of("user_id", userId, "device_id", deviceId, "ttl_seconds", ttlSeconds))).get("token").asText();
    }

    public long createGroup(long appId, String name, long ownerId, List<Long> memberIds) {
        return ok(call("POST", "/api/v1/apps/" + appId + "/groups",
                Map.of("name", name, "owner_id", ownerId, "member_ids", memberIds))).get("group_id").asLong();
    }

    public JsonNode putMember(long appId, long groupId, long userId) {
        return ok(call("PUT", "/api/v1/apps/" + appId + "/groups/" + groupId + "/members/" + userId, null));
    }

    public void removeMember(long appId, long groupId, long userId) {
        ok(call("DELETE", "/api/v1/apps/" + appId + "/groups/" + groupId + "/members/" + userId, null));
    }
}
