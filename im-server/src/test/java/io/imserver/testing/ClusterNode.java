package io.imserver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A server node in a JVM of its own ({@link ServerProcess}), a member of a cluster on the machine's Redis and a
 * shared database, with its own data directory and output in {@code target/server-logs/CLUSTER-NODE.log}.
 * {@link #kill()} is SIGKILL, {@link #stop()} SIGTERM.
 */
public final class ClusterNode implements AutoCloseable {
    public static final String REDIS_URL = System.getProperty("im.test.redis", "redis://127.0.0.1:6379");

    private final String nodeId;
    private final ServerProcess process;

    private ClusterNode(String nodeId, ServerProcess process) {
        this.nodeId = nodeId;
        this.process = process;
    }

    /**
     * Starts node {@code nodeId} of cluster {@code clusterName} on {@code dbUrl} and waits until its {@code /healthz}
     * answers 200.
     */
    public static ClusterNode start(String clusterName, String nodeId, String dbUrl, int presenceTtlSeconds) {
        try {
            var dataDir = Files.createTempDirectory("im-cluster-" + nodeId + "-");
            return new ClusterNode(nodeId, ServerProcess.start(clusterName + "-" + nodeId, dataDir, List.of(
                    "--db-url", dbUrl, "--redis-url", REDIS_URL, "--node-id", nodeId, "--cluster-name", clusterName,
                    "--presence-ttl-s", Integer.toString(presenceTtlSeconds))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public String wsUrl() {
        return process.wsUrl();
    }

    public AdminClient admin() {
        return process.admin();
    }

    public Path log() {
        return process.log();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A signed-in WebSocket client of this node. */
    public WsClient signIn(long appId, long userId, long deviceId) {
        return process.signIn(appId, userId, deviceId);
    }

    /** SIGKILL: the node dies mid-stream, with no chance to leave the cluster. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM: the node drains and leaves. @return its exit code */
    public int stop() {
        return process.stop();
    }

    @Override
    public void close() {
        process.close();
    }
}
