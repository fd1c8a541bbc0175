package io.imserver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own ({@code io.imserver.app.Main} on the test class path) on free loopback ports, with
 * output in {@code target/server-logs/NAME.log}: a process that can really be killed. {@link #kill()} is SIGKILL,
 * {@link #stop()} SIGTERM; {@link #start} again on the same data directory is a restart.
 */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Path dataDir;
    private final Process process;
    private final int wsPort;
    private final AdminClient admin;
    private final Path log;

    private ServerProcess(String name, Path dataDir, Process process, int wsPort, AdminClient admin, Path log) {
        this.name = name;
        this.dataDir = dataDir;
        this.process = process;
        this.wsPort = wsPort;
        this.admin = admin;
        this.log = log;
    }

    /**
     * Starts a server named {@code name} (its log file) on {@code dataDir} with these further flags (e.g.
     * {@code --db-url}), and waits until its {@code /healthz} answers 200.
     */
    public static ServerProcess start(String name, Path dataDir, List<String> flags) {
        try {
            int ws = freePort();
            int adminPort = freePort();
            int grpc = freePort();
            var logs = Path.of("target", "server-logs");
            Files.createDirectories(logs);
            var log = logs.resolve(name + ".log");
            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                    "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "io.imserver.app.Main", "--ws-host", "127.0.0.1", "--ws-port", Integer.toString(ws),
                    "--admin-port", Integer.toString(adminPort), "--grpc-port", Integer.toString(grpc),
                    "--data-dir", dataDir.toString(), "--admin-token", TestServer.ADMIN_TOKEN,
                    // as TestServer: no command rate in tests that pipeline many commands (flags may set one)
                    "--rate-conn-per-s", "1000000", "--rate-conn-burst", "1000000",
                    "--rate-user-per-s", "1000000", "--rate-user-burst", "1000000"));
            cmd.addAll(flags);
            var process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            var admin = new AdminClient("http://127.0.0.1:" + adminPort, TestServer.ADMIN_TOKEN);
            var server = new ServerProcess(name, dataDir, process, ws, admin, log);
            server.awaitHealthy();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A single node on a new data directory: embedded SQLite, or the database at {@code dbUrl} when not null. */
    public static ServerProcess startSingle(String name, String dbUrl, String... flags) {
        try {
            var args = new ArrayList<String>();
            if (dbUrl != null) {
                args.addAll(List.of("--db-url", dbUrl));
            }
            args.addAll(List.of(flags));
            return start(name, Files.createTempDirectory("im-" + name + "-"), args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server " + name + " exited with " + process.exitValue() + "; see "
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
        throw new IllegalStateException("server " + name + " not healthy within 60 s; see " + log.toAbsolutePath());
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

    public Path dataDir() {
        return dataDir;
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

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Open file descriptors of the server process (sockets, database files, jars), from {@code /proc}. */
    public int openFiles() {
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A signed-in WebSocket client of this server. */
    public WsClient signIn(long appId, long userId, long deviceId) {
        var token = admin.token(appId, userId, deviceId, 3600);
        var client = WsClient.connect(wsUrl());
        client.sign(appId, userId, deviceId, token);
        return client;
    }

    /** SIGKILL: the process dies mid-stream, with no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM: the server drains and exits. @return its exit code (killed after 30 s) */
    public int stop() {
        process.destroy();
        return waitFor(Duration.ofSeconds(30));
    }

    /** Waits for the process to exit, killing it after {@code wait}; @return its exit code */
    public int waitFor(Duration wait) {
        try {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
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
            waitFor(Duration.ofSeconds(10));
        }
    }
}
