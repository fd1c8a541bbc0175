package io.imserver.app;

import io.imserver.gateway.GatewayLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads {@link ServerConfig} from environment variables and command-line flags; a flag wins over its variable.
 * Every option is a pair: {@code IM_WS_PORT} / {@code --ws-port}, and so on (see {@link #usage()}).
 */
public final class ConfigLoader {

    private record Option(String env, String flag, String help, BiConsumer<ServerConfig.Builder, String> apply) {
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("IM_WS_PORT", "--ws-port", "WebSocket port (/ws, the web app /, the debug page /seed.html), default 9091",
                    (b, v) -> b.wsPort(parseInt("IM_WS_PORT", v))),
            new Option("IM_WS_HOST", "--ws-host", "WebSocket bind address, default 0.0.0.0", ServerConfig.Builder::wsHost),
            new Option("IM_ADMIN_PORT", "--admin-port", "admin HTTP API port, default 9090",
                    (b, v) -> b.adminPort(parseInt("IM_ADMIN_PORT", v))),
            new Option("IM_ADMIN_HOST", "--admin-host", "admin HTTP bind address, default 127.0.0.1",
                    ServerConfig.Builder::adminHost),
            new Option("IM_GRPC_PORT", "--grpc-port", "gRPC port, default 9092",
                    (b, v) -> b.grpcPort(parseInt("IM_GRPC_PORT", v))),
            new Option("IM_DATA_DIR", "--data-dir", "data directory, default ./data",
                    (b, v) -> b.dataDir(Path.of(v))),
            new Option("IM_ADMIN_TOKEN", "--admin-token",
                    "admin bearer token (>= 16 chars); unset: generated on first start, kept in the data dir",
                    ServerConfig.Builder::adminToken),
            new Option("IM_DB_URL", "--db-url", "JDBC URL of an outside database; unset: embedded SQLite",
                    ServerConfig.Builder::dbUrl),
            new Option("IM_IDLE_TIMEOUT_S", "--idle-timeout-s", "close connections silent this many seconds, default 60",
                    (b, v) -> b.idleTimeout(Duration.ofSeconds(parseInt("IM_IDLE_TIMEOUT_S", v)))),
            new Option("IM_MAX_FRAME_BYTES", "--max-frame-bytes", "largest WebSocket frame, default 65536",
                    (b, v) -> b.maxFrameBytes(parseInt("IM_MAX_FRAME_BYTES", v))),
            new Option("IM_DEDUP_WINDOW_S", "--dedup-window-s",
                    "remember client message ids this many seconds (exactly-once send), default 86400",
                    (b, v) -> b.dedupWindow(Duration.ofSeconds(parseInt("IM_DEDUP_WINDOW_S", v)))),
            new Option("IM_RECALL_WINDOW_S", "--recall-window-s",
                    "a sender may recall its message this many seconds, default 120",
                    (b, v) -> b.recallWindow(Duration.ofSeconds(parseInt("IM_RECALL_WINDOW_S", v)))),
            new Option("IM_WEBHOOK_TIMEOUT_MS", "--webhook-timeout-ms",
                    "a webhook delivery (after-event) may take this many ms, default 10000",
                    (b, v) -> b.webhookTimeout(Duration.ofMillis(parseInt("IM_WEBHOOK_TIMEOUT_MS", v)))),
            new Option("IM_WEBHOOK_BACKOFF_MAX_S", "--webhook-backoff-max-s",
                    "longest wait between retries of a webhook delivery, default 60",
                    (b, v) -> b.webhookBackoffMax(Duration.ofSeconds(parseInt("IM_WEBHOOK_BACKOFF_MAX_S", v)))),
            new Option("IM_RATE_CONN_PER_S", "--rate-conn-per-s",
                    "commands per second one connection may send, default 50 (apps may set their own)",
                    (b, v) -> b.limits(l -> l.withConnectionRate(
                            new GatewayLimits.Rate(parseInt("IM_RATE_CONN_PER_S", v), l.connectionRate().burst())))),
            new Option("IM_RATE_CONN_BURST", "--rate-conn-burst", "commands one connection may send at once, default 100",
                    (b, v) -> b.limits(l -> l.withConnectionRate(
                            new GatewayLimits.Rate(l.connectionRate().perSecond(), parseInt("IM_RATE_CONN_BURST", v))))),
            new Option("IM_RATE_USER_PER_S", "--rate-user-per-s",
                    "commands per second all connections of one user on a node may send, default 100",
                    (b, v) -> b.limits(l -> l.withUserRate(
                            new GatewayLimits.Rate(parseInt("IM_RATE_USER_PER_S", v), l.userRate().burst())))),
            new Option("IM_RATE_USER_BURST", "--rate-user-burst", "commands one user may send at once, default 200",
                    (b, v) -> b.limits(l -> l.withUserRate(
                            new GatewayLimits.Rate(l.userRate().perSecond(), parseInt("IM_RATE_USER_BURST", v))))),
            new Option("IM_SIGN_IN_TIMEOUT_S", "--sign-in-timeout-s",
                    "close connections not signed in this many seconds after opening, default 10",
                    (b, v) -> b.limits(l -> l.withSignInTimeout(
                            Duration.ofSeconds(parseInt("IM_SIGN_IN_TIMEOUT_S", v))))),
            new Option("IM_MAX_CONN_PER_IP", "--max-conn-per-ip",
                    "concurrent connections one remote address may hold, default 1000",
                    (b, v) -> b.limits(l -> l.withMaxConnectionsPerAddress(parseInt("IM_MAX_CONN_PER_IP", v)))),
            new Option("IM_MAX_VIOLATIONS", "--max-violations",
                    "protocol violations within the window that close a connection (1008), default 20",
                    (b, v) -> b.limits(l -> l.withViolations(parseInt("IM_MAX_VIOLATIONS", v), l.violationWindow()))),
            new Option("IM_VIOLATION_WINDOW_S", "--violation-window-s", "window of IM_MAX_VIOLATIONS, default 10",
                    (b, v) -> b.limits(l -> l.withViolations(l.maxViolations(),
                            Duration.ofSeconds(parseInt("IM_VIOLATION_WINDOW_S", v))))),
            new Option("IM_DB_TIMEOUT_MS", "--db-timeout-ms",
                    "the database may take this many ms to connect or answer, else requests get 503, default 5000",
                    (b, v) -> b.dbTimeout(Duration.ofMillis(parseInt("IM_DB_TIMEOUT_MS", v)))),
            new Option("IM_SHUTDOWN_TIMEOUT_S", "--shutdown-timeout-s",
                    "on SIGTERM, drain and exit within this many seconds, default 30",
                    (b, v) -> b.shutdownTimeout(Duration.ofSeconds(parseInt("IM_SHUTDOWN_TIMEOUT_S", v)))),
            new Option("IM_EVENT_LOOPS", "--event-loops", "WebSocket event loop threads, default one per core",
                    (b, v) -> b.eventLoops(parseInt("IM_EVENT_LOOPS", v))),
            new Option("IM_REDIS_URL", "--redis-url",
                    "Redis of a cluster (redis://host:port); needs a shared PostgreSQL or MariaDB --db-url; unset: one node",
                    ServerConfig.Builder::redisUrl),
            new Option("IM_NODE_ID", "--node-id", "this node's name in the cluster, default generated",
                    ServerConfig.Builder::nodeId),
            new Option("IM_CLUSTER_NAME", "--cluster-name", "prefix of the cluster's Redis keys, default im",
                    ServerConfig.Builder::clusterName),
            new Option("IM_PRESENCE_TTL_S", "--presence-ttl-s",
                    "a cluster node that stops renewing its presence is gone after this many seconds, default 10",
                    (b, v) -> b.presenceTtl(Duration.ofSeconds(parseInt("IM_PRESENCE_TTL_S", v)))),
            new Option("IM_DEMO", "--demo", "seed app 1 with users 1-3 and a group; print ready URLs (flag takes no value)",
                    (b, v) -> b.demo(v.isEmpty() || Boolean.parseBoolean(v))));

    private ConfigLoader() {
    }

    /**
     * Builds the configuration from {@code env} then {@code args}.
     *
     * @throws IllegalArgumentException naming the offending option, e.g. {@code "IM_WS_PORT: abc (expected: an integer)"}
     */
    public static ServerConfig load(Map<String, String> env, String[] args) {
        var builder = ServerConfig.builder();
        for (var option : OPTIONS) {
            var value = env.get(option.env());
            if (value != null && !value.isBlank()) {
                option.apply().accept(builder, value.trim());
            }
        }
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            var eq = arg.indexOf('=');
            var name = eq < 0 ? arg : arg.substring(0, eq);
            var option = OPTIONS.stream().filter(o -> o.flag().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(name + " (expected: one of the options of --help)"));
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (option.flag().equals("--demo")) {
                value = "";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + ": missing value");
            }
            option.apply().accept(builder, value);
        }
        return builder.build();
    }

    public static String usage() {
        var sb = new StringBuilder("Usage: im-server [--option value]...\n\nOptions (flag / environment variable):\n");
        for (var o : OPTIONS) {
            sb.append(String.format("  %-18s %-20s %s%n", o.flag(), o.env(), o.help()));
        }
        sb.append(String.format("  %-18s %-20s %s%n", "--help", "", "print this help"));
        return sb.toString();
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: an integer)", e);
        }
    }
}
