package io.imserver.testing;

import io.imserver.app.ImServer;
import io.imserver.app.ServerConfig;
import io.imserver.gateway.GatewayLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A real server node on loopback with free ports and its own data directory, for integration tests; on the engine
 * of {@link TestDatabase#ENGINE} (embedded SQLite unless {@code -Dim.test.db=postgresql|mariadb}), in a database of
 * its own. Commands are not rate-limited unless the test's customizer sets rates ({@code RateLimitIT}); the other
 * limits keep their defaults.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    /** The command rate of a test server's connections and users, unless the test sets one. */
    public static final GatewayLimits.Rate UNLIMITED = new GatewayLimits.Rate(1_000_000, 1_000_000);

    private final Path dataDir;
    private final UnaryOperator<ServerConfig.Builder> customizer;
    private final TestDatabase database;
    private ImServer server;

    private TestServer(Path dataDir, UnaryOperator<ServerConfig.Builder> customizer) {
        this.dataDir = dataDir;
        this.customizer = customizer;
        this.database = TestDatabase.createIfOutside();
        try {
            boot();
        } catch (RuntimeException e) {
            if (database != null) {
                database.close();
            }
            throw e;
        }
    }

    public static TestServer start(UnaryOperator<ServerConfig.Builder> customizer) {
        try {
            return new TestServer(Files.createTempDirectory("im-test-"), customizer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestServer start() {
        return start(b -> b);
    }

    private void boot() {
        var config = customizer.apply(ServerConfig.builder()
                .wsHost("127.0.0.1").wsPort(0)
                .adminHost("127.0.0.1").adminPort(0)
                .grpcPort(0)
                .dataDir(dataDir)
                .dbUrl(database == null ? null : database.url())
                .adminToken(ADMIN_TOKEN)
                .idleTimeout(Duration.ofSeconds(60))
                // tests pipeline hundreds of commands on one connection: no command rate unless a test sets one
                .limits(l -> l.withConnectionRate(UNLIMITED).withUserRate(UNLIMITED))).build();
        try {
            server = ImServer.start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Another node on this server's outside database (its own data directory and ports), started with this server's
     * configuration; the caller closes it. Only for PostgreSQL and MariaDB.
     */
    public ImServer startSecondNode() {
        if (database == null) {
            throw new IllegalStateException("a second node needs an outside database (im.test.db)");
        }
        try {
            return ImServer.start(server.config().toBuilder().wsPort(0).adminPort(0).grpcPort(0)
                    .dataDir(Files.createTempDirectory("im-test-node2-")).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the node and starts it again on the same data directory (new ports). */
    public void restart() {
        server.close();
        boot();
    }

    public Path dataDir() {
        return dataDir;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + server.wsPort() + "/ws";
    }

    public String pageUrl() {
        return "http://127.0.0.1:" + server.wsPort() + "/";
    }

    public int grpcPort() {
        return server.grpcPort();
    }

    public AdminClient admin() {
        return new AdminClient("http://127.0.0.1:" + server.adminPort(), ADMIN_TOKEN);
    }

    /** Opens a WebSocket and signs in as the device with a fresh token; fails unless sign answers 200. */
    public WsClient signIn(long appId, long userId, long deviceId) {
        var token = admin().token(appId, userId, deviceId, 3600);
        var client = WsClient.connect(wsUrl());
        client.sign(appId, userId, deviceId, token);
        return client;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }
}
