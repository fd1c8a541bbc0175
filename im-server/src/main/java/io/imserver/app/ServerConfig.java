package io.imserver.app;

import io.imserver.gateway.GatewayLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Immutable server configuration, validated once at construction.
 *
 * <p>Defaults: WebSocket on 0.0.0.0:9091 ({@code /ws} and the test page), admin HTTP on 127.0.0.1:9090,
 * gRPC on 127.0.0.1:9092, data in {@code ./data} (embedded SQLite), idle timeout 60 s, frames up to 64 KiB.
 *
 * @param wsHost address the WebSocket gateway binds
 * @param wsPort WebSocket port ({@code IM_WS_PORT}); 0 picks a free port
 * @param adminHost address the admin HTTP API binds (loopback by default: it hands out secrets)
 * @param adminPort admin HTTP port ({@code IM_ADMIN_PORT}); 0 picks a free port
 * @param grpcPort gRPC port ({@code IM_GRPC_PORT}); 0 picks a free port
 * @param dataDir data directory ({@code IM_DATA_DIR}) for the embedded database and the generated admin token
 * @param adminToken the admin bearer token ({@code IM_ADMIN_TOKEN}); null: generated on first start and kept in dataDir
 * @param dbUrl JDBC URL of an outside database ({@code IM_DB_URL}); null: the embedded SQLite in dataDir
 * @param idleTimeout a connection silent this long is closed ({@code IM_IDLE_TIMEOUT_S})
 * @param maxFrameBytes the largest WebSocket frame accepted ({@code IM_MAX_FRAME_BYTES}); larger closes with 1009
 * @param demo seed app 1 with users 1-3 and a group, and print ready URLs
 * @param dedupWindow how long a client message id is remembered for exactly-once send ({@code IM_DEDUP_WINDOW_S}, 24 h)
 * @param recallWindow how long a sender may recall its own message ({@code IM_RECALL_WINDOW_S}, 2 min)
 * @param redisUrl Redis of a cluster ({@code IM_REDIS_URL}, e.g. {@code redis://127.0.0.1:6379}); null: a single
 *     node. A cluster node needs a shared PostgreSQL or MariaDB/MySQL {@code dbUrl}
 * @param nodeId this node's name in the cluster ({@code IM_NODE_ID}); default generated, unique per start
 * @param clusterName prefix of the cluster's Redis keys and channels ({@code IM_CLUSTER_NAME}, "im"), so that
 *     several clusters can share one Redis
 * @param presenceTtl a node that stops renewing its presence is gone after this long ({@code IM_PRESENCE_TTL_S}, 10 s)
 * @param webhookTimeout how long a webhook delivery (after-event) may take ({@code IM_WEBHOOK_TIMEOUT_MS}, 10 s)
 * @param webhookBackoffMax the longest wait between retries of a webhook delivery ({@code IM_WEBHOOK_BACKOFF_MAX_S},
 *                          60 s); retries start at 250 ms and double
 * @param limits what one client may do: command rates per connection and per user, sign-in deadline, connections
 *     per address, protocol violations before a close ({@code IM_RATE_*}, {@code IM_SIGN_IN_TIMEOUT_S},
 *     {@code IM_MAX_CONN_PER_IP}, {@code IM_MAX_VIOLATIONS}, {@code IM_VIOLATION_WINDOW_S}; see {@link GatewayLimits})
 * @param dbTimeout the longest the database may take to connect or answer ({@code IM_DB_TIMEOUT_MS}, 5 s): past it a
 *     request is answered {@code SERVER_BUSY} (503) instead of waiting for a database that is gone
 * @param shutdownTimeout the longest a stopping node (SIGTERM) takes to answer what it read, tell clients to
 *     reconnect and close storage before it exits anyway ({@code IM_SHUTDOWN_TIMEOUT_S}, 30 s)
 * @param eventLoops the gateway's event loop threads ({@code IM_EVENT_LOOPS}, default one per core: no handler
 *     blocks, and more threads than cores only switch between each other while pushes wait)
 */
public record ServerConfig(
        String wsHost,
        int wsPort,
        String adminHost,
        int adminPort,
        int grpcPort,
        Path dataDir,
        String adminToken,
        String dbUrl,
        Duration idleTimeout,
        int maxFrameBytes,
        boolean demo,
        Duration dedupWindow,
        Duration recallWindow,
        String redisUrl,
        String nodeId,
        String clusterName,
        Duration presenceTtl,
        Duration webhookTimeout,
        Duration webhookBackoffMax,
        GatewayLimits limits,
        Duration dbTimeout,
        Duration shutdownTimeout,
        int eventLoops) {

    public static final int DEFAULT_WS_PORT = 9091;
    public static final int DEFAULT_ADMIN_PORT = 9090;
    public static final int DEFAULT_GRPC_PORT = 9092;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofHours(24);
    public static final Duration DEFAULT_RECALL_WINDOW = Duration.ofMinutes(2);
    public static final String DEFAULT_CLUSTER_NAME = "im";
    public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WEBHOOK_BACKOFF_MAX = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DB_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public ServerConfig {
        requireNonBlank("wsHost", wsHost);
        requireNonBlank("adminHost", adminHost);
        requirePort("wsPort", wsPort);
        requirePort("adminPort", adminPort);
        requirePort("grpcPort", grpcPort);
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
        }
        requirePositive("dedupWindow", dedupWindow);
        requirePositive("recallWindow", recallWindow);
        requirePositive("webhookTimeout", webhookTimeout);
        requirePositive("webhookBackoffMax", webhookBackoffMax);
        Objects.requireNonNull(dbTimeout, "dbTimeout");
        if (dbTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("dbTimeout: " + dbTimeout.toMillis() + " ms (expected: >= 250 ms)");
        }
        requirePositive("shutdownTimeout", shutdownTimeout);
        if (eventLoops <= 0) {
            throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: > 0)");
        }
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
        }
        if (adminToken != null && adminToken.length() < 16) {
            throw new IllegalArgumentException(
                    "adminToken: " + adminToken.length() + " characters (expected: >= 16)");
        }
        if (dbUrl != null && !dbUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("dbUrl: " + dbUrl + " (expected: a JDBC URL starting with jdbc:)");
        }
        if (redisUrl != null) {
            if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
                throw new IllegalArgumentException("redisUrl: " + redisUrl + " (expected: redis://host:port)");
            }
            if (dbUrl == null || dbUrl.startsWith("jdbc:sqlite:")) {
                throw new IllegalArgumentException("dbUrl: " + (dbUrl == null ? "unset (embedded SQLite)" : dbUrl)
                        + " (expected: a PostgreSQL or MariaDB/MySQL database shared by the cluster, since redisUrl"
                        + " is set; an SQLite file belongs to one node)");
            }
        }
        requireNonBlank("nodeId", nodeId);
        if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("nodeId: '" + nodeId + "' (expected: 1-64 of A-Z a-z 0-9 . _ -)");
        }
        requireNonBlank("clusterName", clusterName);
        if (!clusterName.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("clusterName: '" + clusterName + "' (expected: 1-64 of A-Z a-z 0-9 . _ -)");
        }
        Objects.requireNonNull(presenceTtl, "presenceTtl");
        Objects.requireNonNull(limits, "limits");
        if (presenceTtl.toMillis() < 1_000) {
            throw new IllegalArgumentException("presenceTtl: " + presenceTtl + " (expected: >= 1 s)");
        }
    }

    /** Whether this node is a member of a cluster (Redis configured). */
    public boolean clustered() {
        return redisUrl != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().wsHost(wsHost).wsPort(wsPort).adminHost(adminHost).adminPort(adminPort)
                .grpcPort(grpcPort).dataDir(dataDir).adminToken(adminToken).dbUrl(dbUrl)
                .idleTimeout(idleTimeout).maxFrameBytes(maxFrameBytes).demo(demo).dedupWindow(dedupWindow)
                .recallWindow(recallWindow).redisUrl(redisUrl).nodeId(nodeId).clusterName(clusterName)
                .presenceTtl(presenceTtl).webhookTimeout(webhookTimeout)
                .webhookBackoffMax(webhookBackoffMax).limits(l -> limits).dbTimeout(dbTimeout)
                .shutdownTimeout(shutdownTimeout);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + ": " + port + " (expected: 0-65535)");
        }
    }

    private static void requireNonBlank(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: a host name or address)");
        }
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private String wsHost = "0.0.0.0";
        private int wsPort = DEFAULT_WS_PORT;
        private String adminHost = "127.0.0.1";
        private int adminPort = DEFAULT_ADMIN_PORT;
        private int grpcPort = DEFAULT_GRPC_PORT;
        private Path dataDir = Path.of("data");
        private String adminToken;
        private String dbUrl;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private boolean demo;
        private Duration dedupWindow = DEFAULT_DEDUP_WINDOW;
        private Duration recallWindow = DEFAULT_RECALL_WINDOW;
        private String redisUrl;
        private String nodeId = "node-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        private String clusterName = DEFAULT_CLUSTER_NAME;
        private Duration presenceTtl = DEFAULT_PRESENCE_TTL;
        private Duration webhookTimeout = DEFAULT_WEBHOOK_TIMEOUT;
        private Duration webhookBackoffMax = DEFAULT_WEBHOOK_BACKOFF_MAX;
        private GatewayLimits limits = GatewayLimits.DEFAULTS;
        private Duration dbTimeout = DEFAULT_DB_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int eventLoops = Runtime.getRuntime().availableProcessors();

        public Builder wsHost(String v) { wsHost = v; return this; }
        public Builder wsPort(int v) { wsPort = v; return this; }
        public Builder adminHost(String v) { adminHost = v; return this; }
        public Builder adminPort(int v) { adminPort = v; return this; }
        public Builder grpcPort(int v) { grpcPort = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder adminToken(String v) { adminToken = v; return this; }
        public Builder dbUrl(String v) { dbUrl = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder demo(boolean v) { demo = v; return this; }
        public Builder dedupWindow(Duration v) { dedupWindow = v; return this; }
        public Builder recallWindow(Duration v) { recallWindow = v; return this; }
        public Builder redisUrl(String v) { redisUrl = v; return this; }
        public Builder nodeId(String v) { nodeId = v; return this; }
        public Builder clusterName(String v) { clusterName = v; return this; }
        public Builder presenceTtl(Duration v) { presenceTtl = v; return this; }
        public Builder webhookTimeout(Duration v) { webhookTimeout = v; return this; }
        public Builder webhookBackoffMax(Duration v) { webhookBackoffMax = v; return this; }
        /** Changes the limits, starting from the ones set so far ({@link GatewayLimits#DEFAULTS}). */
        public Builder limits(UnaryOperator<GatewayLimits> change) { limits = change.apply(limits); return this; }
        public Builder dbTimeout(Duration v) { dbTimeout = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder eventLoops(int v) { eventLoops = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(wsHost, wsPort, adminHost, adminPort, grpcPort, dataDir, adminToken, dbUrl,
                    idleTimeout, maxFrameBytes, demo, dedupWindow, recallWindow, redisUrl, nodeId, clusterName,
                    presenceTtl, webhookTimeout, webhookBackoffMax, limits, dbTimeout, shutdownTimeout,
                    eventLoops);
        }
    }
}
