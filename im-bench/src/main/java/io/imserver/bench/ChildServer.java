package io.imserver.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A server node the benchmark starts itself: a child JVM through {@code bin/im-server} with a temporary data
 * directory, free loopback ports and a random admin token, so that its RSS and CPU are its own. Stopped (SIGTERM,
 * then SIGKILL after 15 s) and its data deleted on close.
 */
final class ChildServer implements Target {
    private final Process process;
    private final Path dataDir;
    private final int wsPort;
    private final AdminApi admin;
    private final String javaOpts;
    private final boolean keepData;

    private ChildServer(Process process, Path dataDir, int wsPort, AdminApi admin, String javaOpts, boolean keepData) {
        this.process = process;
        this.dataDir = dataDir;
        this.wsPort = wsPort;
        this.admin = admin;
        this.javaOpts = javaOpts;
        this.keepData = keepData;
    }

    static ChildServer start(Path serverCmd, String javaOpts, String dbUrl, Path log, boolean keepData,
                             Progress progress) throws IOException, InterruptedException {
        return start(serverCmd, javaOpts, dbUrl, List.of(), log, keepData, progress);
    }

    /** As above, with more server flags (a cluster node's {@code --redis-url}, {@code --node-id}, ...). */
    static ChildServer start(Path serverCmd, String javaOpts, String dbUrl, List<String> extraArgs, Path log,
                             boolean keepData, Progress progress) throws IOException, InterruptedException {
        if (!Files.isExecutable(serverCmd)) {
            throw new IllegalStateException("server launcher not found or not executable: " + serverCmd
                    + " (use --server-cmd, or --ws/--admin/--admin-token for a running node)");
        }
        var dataDir = Files.createTempDirectory("im-bench-data-");
        int ws = freePort();
        int adminPort = freePort();
        int grpc = freePort();
        var token = "bench-" + UUID.randomUUID();
        var cmd = new ArrayList<>(List.of(serverCmd.toString(), "--ws-host", "127.0.0.1", "--ws-port",
                Integer.toString(ws), "--admin-port", Integer.toString(adminPort), "--grpc-port", Integer.toString(grpc),
                "--data-dir", dataDir.toString(), "--admin-token", token));
        if (dbUrl != null) {
            cmd.addAll(List.of("--db-url", dbUrl));
        }
        // the benchmark loads few connections from few addresses far beyond one client's rate: the abuse limits
        // (docs/RELIABILITY.md "Limits and abuse") are lifted, extra args may set them again
        cmd.addAll(List.of("--rate-conn-per-s", "1000000", "--rate-conn-burst", "1000000", "--rate-user-per-s",
                "1000000", "--rate-user-burst", "1000000", "--max-conn-per-ip", "1000000"));
        cmd.addAll(extraArgs);
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("IM_JAVA_OPTS", javaOpts == null ? "" : javaOpts);
        progress.status("starting server: " + String.join(" ", cmd) + " (IM_JAVA_OPTS=" + javaOpts + "), log "
                + log);
        var process = pb.start();
        var admin = new AdminApi("http://127.0.0.1:" + adminPort, token);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                admin.metricsText();
                break;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the server did not answer on its admin port within 180 s; see "
                            + log, e);
                }
                Thread.sleep(200);
            }
        }
        var server = new ChildServer(process, dataDir, ws, admin, javaOpts, keepData);
        progress.status("server up: pid " + process.pid() + ", " + server.describe());
        return server;
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public List<String> wsUrls() {
        return List.of("ws://127.0.0.1:" + wsPort + "/ws");
    }

    @Override
    public AdminApi admin() {
        return admin;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isServer() {
        return true;
    }

    String javaOpts() {
        return javaOpts;
    }

    @Override
    public String describe() {
        return "child server pid " + process.pid() + " ws " + wsUrls().get(0) + " admin " + admin.base()
                + " data " + dataDir;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (!keepData) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
