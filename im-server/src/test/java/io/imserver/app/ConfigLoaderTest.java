package io.imserver.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void defaults_areThoseOfTheProtocol() {
        var c = ConfigLoader.load(Map.of(), new String[0]);
        assertThat(c.wsPort()).isEqualTo(9091);
        assertThat(c.adminPort()).isEqualTo(9090);
        assertThat(c.grpcPort()).isEqualTo(9092);
        assertThat(c.adminHost()).isEqualTo("127.0.0.1");
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.maxFrameBytes()).isEqualTo(65536);
        assertThat(c.dbUrl()).isNull();
        assertThat(c.adminToken()).isNull();
        assertThat(c.demo()).isFalse();
        assertThat(c.dedupWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(c.recallWindow()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void environment_setsEveryOption_andFlagsWin() {
        var env = Map.of("IM_WS_PORT", "1000", "IM_ADMIN_PORT", "1001", "IM_GRPC_PORT", "1002",
                "IM_DATA_DIR", "/tmp/x", "IM_ADMIN_TOKEN", "0123456789abcdef", "IM_DB_URL", "jdbc:sqlite:/tmp/y.db",
                "IM_IDLE_TIMEOUT_S", "30", "IM_MAX_FRAME_BYTES", "1024");
        var c = ConfigLoader.load(env, new String[] {"--ws-port", "2000", "--idle-timeout-s=5", "--demo"});
        assertThat(c.wsPort()).isEqualTo(2000);
        assertThat(c.adminPort()).isEqualTo(1001);
        assertThat(c.grpcPort()).isEqualTo(1002);
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.adminToken()).isEqualTo("0123456789abcdef");
        assertThat(c.dbUrl()).isEqualTo("jdbc:sqlite:/tmp/y.db");
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxFrameBytes()).isEqualTo(1024);
        assertThat(c.demo()).isTrue();
    }

    @Test
    void invalidValues_areRefusedWithTheOptionAndWhatWasExpected() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_WS_PORT", "abc"), new String[0]))
                .hasMessage("IM_WS_PORT: abc (expected: an integer)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), new String[] {"--max-frame-bytes", "0"}))
                .hasMessage("maxFrameBytes: 0 (expected: > 0)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), new String[] {"--ws-port", "70000"}))
                .hasMessage("wsPort: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_IDLE_TIMEOUT_S", "0"), new String[0]))
                .hasMessage("idleTimeout: PT0S (expected: > 0)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_RECALL_WINDOW_S", "-1"), new String[0]))
                .hasMessage("recallWindow: PT-1S (expected: > 0)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_ADMIN_TOKEN", "short"), new String[0]))
                .hasMessage("adminToken: 5 characters (expected: >= 16)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_DB_URL", "mysql://x"), new String[0]))
                .hasMessageStartingWith("dbUrl: mysql://x (expected:");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), new String[] {"--no-such-flag"}))
                .hasMessageStartingWith("--no-such-flag (expected:");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), new String[] {"--ws-port"}))
                .hasMessage("--ws-port: missing value");
    }

    @Test
    void usage_listsEveryVariable() {
        assertThat(ConfigLoader.usage()).contains("IM_WS_PORT", "IM_ADMIN_PORT", "IM_GRPC_PORT", "IM_DATA_DIR",
                "IM_ADMIN_TOKEN", "IM_DB_URL", "IM_IDLE_TIMEOUT_S", "IM_MAX_FRAME_BYTES");
    }

    @Test
    void webhookOptions_haveDefaults_areSet_andZeroIsRefusedByName() {
        var defaults = ConfigLoader.load(Map.of(), new String[0]);
        assertThat(defaults.webhookTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.webhookBackoffMax()).isEqualTo(Duration.ofSeconds(60));
        var c = ConfigLoader.load(Map.of("IM_WEBHOOK_TIMEOUT_MS", "1500"), new String[] {"--webhook-backoff-max-s", "5"});
        assertThat(c.webhookTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.webhookBackoffMax()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_WEBHOOK_TIMEOUT_MS", "0"), new String[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("webhookTimeout: PT0S (expected: > 0)");
    }

    @Test
    void aClusterNode_needsASharedDatabase_notTheEmbeddedOne() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_REDIS_URL", "redis://127.0.0.1:6379"), new String[0]))
                .hasMessageStartingWith("dbUrl: unset (embedded SQLite) (expected: a PostgreSQL or MariaDB/MySQL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_REDIS_URL", "redis://127.0.0.1:6379",
                "IM_DB_URL", "jdbc:sqlite:/tmp/x.db"), new String[0])).hasMessageStartingWith("dbUrl: jdbc:sqlite:");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_REDIS_URL", "127.0.0.1:6379",
                "IM_DB_URL", "jdbc:postgresql://h/db"), new String[0]))
                .hasMessage("redisUrl: 127.0.0.1:6379 (expected: redis://host:port)");
    }

    @Test
    void clusterOptions_areRead_andANodeIdIsGeneratedWhenUnset() {
        var c = ConfigLoader.load(Map.of("IM_REDIS_URL", "redis://r:6379", "IM_DB_URL", "jdbc:postgresql://h/db"),
                new String[] {"--node-id", "gw-1", "--cluster-name", "prod", "--presence-ttl-s", "5"});
        assertThat(c.clustered()).isTrue();
        assertThat(c.nodeId()).isEqualTo("gw-1");
        assertThat(c.clusterName()).isEqualTo("prod");
        assertThat(c.presenceTtl()).isEqualTo(Duration.ofSeconds(5));
        var generated = ConfigLoader.load(Map.of(), new String[0]);
        assertThat(generated.clustered()).isFalse();
        assertThat(generated.nodeId()).matches("node-[0-9a-f]{8}");
        assertThat(generated.clusterName()).isEqualTo("im");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), new String[] {"--node-id", "a b"}))
                .hasMessage("nodeId: 'a b' (expected: 1-64 of A-Z a-z 0-9 . _ -)");
    }

    @Test
    void limits_defaultToOnesThatNeverBotherANormalClient_andEveryOneCanBeSet() {
        var defaults = ConfigLoader.load(Map.of(), new String[0]).limits();
        assertThat(defaults).isEqualTo(io.imserver.gateway.GatewayLimits.DEFAULTS);
        assertThat(defaults.connectionRate()).isEqualTo(new io.imserver.gateway.GatewayLimits.Rate(50, 100));
        assertThat(defaults.userRate()).isEqualTo(new io.imserver.gateway.GatewayLimits.Rate(100, 200));
        assertThat(defaults.signInTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.maxConnectionsPerAddress()).isEqualTo(1000);
        assertThat(defaults.maxViolations()).isEqualTo(20);
        assertThat(defaults.violationWindow()).isEqualTo(Duration.ofSeconds(10));

        var env = Map.of("IM_RATE_CONN_PER_S", "5", "IM_RATE_CONN_BURST", "6", "IM_RATE_USER_PER_S", "7",
                "IM_RATE_USER_BURST", "8", "IM_SIGN_IN_TIMEOUT_S", "3", "IM_MAX_CONN_PER_IP", "9",
                "IM_MAX_VIOLATIONS", "4", "IM_VIOLATION_WINDOW_S", "2");
        var limits = ConfigLoader.load(env, new String[] {"--max-conn-per-ip", "11"}).limits();
        assertThat(limits).isEqualTo(new io.imserver.gateway.GatewayLimits(
                new io.imserver.gateway.GatewayLimits.Rate(5, 6), new io.imserver.gateway.GatewayLimits.Rate(7, 8),
                Duration.ofSeconds(3), 11, 4, Duration.ofSeconds(2)));
    }

    @Test
    void invalidLimits_areRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_RATE_CONN_PER_S", "0"), new String[0]))
                .hasMessage("perSecond: 0 (expected: > 0)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_MAX_VIOLATIONS", "1"), new String[0]))
                .hasMessage("maxViolations: 1 (expected: >= 2)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), new String[] {"--max-conn-per-ip", "0"}))
                .hasMessage("maxConnectionsPerAddress: 0 (expected: > 0)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), new String[] {"--sign-in-timeout-s", "0"}))
                .hasMessage("signInTimeout: PT0S (expected: > 0)");
    }

    @Test
    void databaseAndShutdownTimeouts_haveDefaults_areSet_andTooShortIsRefusedByName() {
        var defaults = ConfigLoader.load(Map.of(), new String[0]);
        assertThat(defaults.dbTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        var c = ConfigLoader.load(Map.of("IM_DB_TIMEOUT_MS", "1500"), new String[] {"--shutdown-timeout-s", "8"});
        assertThat(c.dbTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(8));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IM_DB_TIMEOUT_MS", "100"), new String[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dbTimeout: 100 ms (expected: >= 250 ms)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), new String[] {"--shutdown-timeout-s", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shutdownTimeout: PT0S (expected: > 0)");
    }

    @Test
    void eventLoops_defaultToTheCores_areSet_andZeroIsRefusedByName() {
        assertThat(ConfigLoader.load(Map.of(), new String[0]).eventLoops())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(ConfigLoader.load(Map.of("IM_EVENT_LOOPS", "3"), new String[0]).eventLoops()).isEqualTo(3);
        assertThat(ConfigLoader.load(Map.of(), new String[] {"--event-loops", "5"}).eventLoops()).isEqualTo(5);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), new String[] {"--event-loops", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("eventLoops: 0 (expected: > 0)");
    }
}
