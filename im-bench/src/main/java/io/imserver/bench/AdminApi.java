package io.imserver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/** The server's admin HTTP API as the benchmark uses it: app, users, tokens, groups, and {@code /metrics}. */
final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;
    /** The other nodes of a cluster the benchmark started: their metrics add up with this node's. */
    private final List<AdminApi> peers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    AdminApi(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    String base() {
        return base;
    }

    private HttpRequest request(String method, String path, Object body) {
        try {
            var publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            return HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher)
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token).build();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    CompletableFuture<JsonNode> callAsync(String method, String path, Object body) {
        return http.sendAsync(request(method, path, body), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + path + ": reply is not JSON: " + r.body(), e);
            }
        });
    }

    JsonNode call(String method, String path, Object body) {
        return callAsync(method, path, body).join();
    }

    void putApp(long appId, String name) {
        call("PUT", "/api/v1/apps/" + appId, Map.of("name", name));
    }

    CompletableFuture<JsonNode> putUser(long appId, long userId) {
        return callAsync("PUT", "/api/v1/apps/" + appId + "/users/" + userId, Map.of("nickname", "u" + userId));
    }

    CompletableFuture<String> token(long appId, long userId, long deviceId, long ttlSeconds) {
        return callAsync("POST", "/api/v1/apps/" + appId + "/tokens",
                Map.of("user_id", userId, "device_id", deviceId, "ttl_seconds", ttlSeconds))
                .thenApply(n -> n.get("token").asText());
    }

    long createGroup(long appId, String name, long ownerId, List<Long> members) {
        return call("POST", "/api/v1/apps/" + appId + "/groups",
                Map.of("name", name, "owner_id", ownerId, "member_ids", members)).get("group_id").asLong();
    }

    /** Creates (or updates) users and issues a token for each (device 1), {@code parallel} calls at a time. */
    List<String> usersWithTokens(long appId, List<Long> userIds, int parallel, Progress progress) {
        progress.status("creating " + userIds.size() + " users");
        runAll(userIds.size(), parallel, i -> putUser(appId, userIds.get(i)));
        progress.status("issuing " + userIds.size() + " tokens");
        var tokens = new ArrayList<String>(userIds.size());
        for (int i = 0; i < userIds.size(); i++) {
            tokens.add(null);
        }
        runAll(userIds.size(), parallel, i -> token(appId, userIds.get(i), 1, 6 * 3600)
                .thenAccept(t -> {
                    synchronized (tokens) {
                        tokens.set(i, t);
                    }
                }));
        return tokens;
    }

    private static void runAll(int n, int parallel, IntFunction<CompletableFuture<?>> call) {
        var permits = new Semaphore(parallel);
        var all = new ArrayList<CompletableFuture<?>>(n);
        for (int i = 0; i < n; i++) {
            permits.acquireUninterruptibly();
            all.add(call.apply(i).whenComplete((v, e) -> permits.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    /** The Prometheus text of {@code GET /metrics}. */
    String metricsText() {
        try {
            var r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /metrics -> " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("GET /metrics failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Adds a node whose {@code /metrics} {@link #sample()} sums with this one's. */
    void addPeer(AdminApi peer) {
        peers.add(peer);
    }

    /** This node's metrics, summed with its peers' (connections, memory, CPU of every node). */
    ServerSample sample() {
        return sample(metricsText());
    }

    /** As {@link #sample()}, with this node's {@code /metrics} text already read. */
    ServerSample sample(String ownMetrics) {
        var own = ServerSample.parse(ownMetrics, System.nanoTime());
        for (var peer : peers) {
            own = own.plus(ServerSample.parse(peer.metricsText(), own.atNanos()));
        }
        return own;
    }
}
