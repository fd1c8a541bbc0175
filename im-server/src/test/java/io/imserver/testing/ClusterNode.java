package io.imserver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server node in a JVM of its own ({@code io.imserver.app.Main} on the test class path), a member of a cluster on
 * the machine's Redis and a shared database: free loopback ports, its own data directory, output in
 * {@code target/cluster-logs/NODE.log}. {@link #kill()} is SIGKILL, {@link #stop()} SIGTERM.
 */
public final class ClusterNode implements AutoCloseable {
    public static final String REDIS_URL = System.getProperty("im.test.redis", "redis://127.0.0.1:6379");

    private final String nodeId;
    private final Process process;
    private final int wsPort;
    private final AdminClient admin;
    private final Path log;

    private ClusterNode(String nodeId, Process process, int wsPort, AdminClient admin, Path log) {
        this.nodeId = nodeId;
        this.process = process;
        this.wsPort = wsPort;
        this.admin = admin;
        this.log = log;
    }

    /**
     * Starts node {@code nodeId} of cluster {@code clusterName} on {@code dbUrl} and waits until its {@code /healthz}
     * answers 200.
     */
    public static ClusterNode start(String clusterName, String nodeId, String dbUrl, int presenceTtlSeconds) {
        try {
            int ws = freePort();
            int adminPort = freePort();
            int grpc = freePort();
            var dataDir = Files.createTempDirectory("im-cluster-" + nodeId + "-");
            var logs = Path.of("target", "cluster-logs");
            Files.createDirectories(logs);
            var log = logs.resolve(clusterName + "-" + nodeId + ".log");
            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                    "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "io.imserver.app.Main", "--ws-host", "127.0.0.1", "--ws-port", Integer.toString(ws),
                    "--admin-port", Integer.toString(adminPort), "--grpc-port", Integer.toString(grpc),
                    "--data-dir", dataDir.toString(), "--admin-token", TestServer.ADMIN_TOKEN, "--db-url", dbUrl,
                    "--redis-url", REDIS_URL, "--node-id", nodeId, "--cluster-name", clusterName,
                    "--presence-ttl-s", Integer.toString(presenceTtlSeconds),
                    // as TestServer: no command rate in tests that pipeline many commands
                    "--rate-conn-per-s", "1000000", "--rate-conn-burst", "1000000",
                    "--rate-user-per-s", "1000000", "--rate-user-burst", "1000000"));
            var process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            var admin = new AdminClient("http://127.0.0.1:" + adminPort, TestServer.ADMIN_TOKEN);
            var node = new ClusterNode(nodeId, process, ws, admin, log);
            node.awaitHealthy();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + nodeId + " exited with " + process.exitValue() + "; see "
                        + log.toAbsolutePath());
            }
            try {
                if (admin.call("GET", "/healthz", null, null).status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("node " + nodeId + " not healthy within 60 s; see " + log.toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + wsPort + "/ws";
    }

    public AdminClient admin() {
        return admin;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A signed-in WebSocket client of this node. */
    public WsClient signIn(long appId, long userId, long deviceId) {
        var token = admin.token(appId, userId, deviceId, 3600);
        var client = WsClient.connect(wsUrl());
        client.sign(appId, userId, deviceId, token);
        return client;
    }

    /** SIGKILL: the node dies mid-stream, with no chance to leave the cluster. */
    public void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    /** SIGTERM: the node drains and leaves. @return its exit code */
    public int stop() {
        process.destroy();
        return waitFor(30);
    }

    private int waitFor(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitFor(10);
        }
    }
}
