package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.imserver.app.ImServer;
import io.imserver.app.ServerConfig;
import io.imserver.testing.AdminClient;
import io.imserver.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Everything the server logs, at every level, while an admin token is generated, an app created, tokens issued and
 * good and bad sign-ins made: neither the admin token, the app secret nor any token appears.
 */
class SecretsNotLoggedIT {

    @Test
    void logsOfAdminCallsAndSignIns_holdNoSecretAndNoToken() throws Exception {
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var netty = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.netty");
        Level rootLevel = root.getLevel();
        Level nettyLevel = netty.getLevel();
        var captured = new ByteArrayOutputStream();
        var console = System.out;
        // logback's console appender writes to whatever System.out is at the moment
        System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
        root.setLevel(Level.TRACE);
        netty.setLevel(Level.DEBUG);
        String adminToken;
        String secret;
        String goodToken;
        String forged;
        try (var server = ImServer.start(ServerConfig.builder().wsHost("127.0.0.1").wsPort(0).adminPort(0)
                .grpcPort(0).dataDir(Files.createTempDirectory("im-secrets-")).build())) {
            adminToken = server.adminToken();
            var admin = new AdminClient("http://127.0.0.1:" + server.adminPort(), adminToken);
            secret = admin.putApp(1, "app").get("secret").asText();
            admin.putUser(1, 1, "alice");
            goodToken = admin.token(1, 1, 1, 3600);
            assertThat(admin.call("GET", "/api/v1/apps/1", null, adminToken.substring(1) + "x").status())
                    .isEqualTo(401);
            assertThat(admin.call("GET", "/api/v1/apps/1", null).text()).contains(secret);
            try (var client = WsClient.connect("ws://127.0.0.1:" + server.wsPort() + "/ws")) {
                client.sign(1, 1, 1, goodToken);
                assertThat(client.request("heartbeat", null).getCode()).isEqualTo(200);
            }
            forged = goodToken.substring(0, goodToken.length() - 4) + "AAAA";
            for (var bad : new String[] {forged, goodToken + ".x", "not-a-jwt-" + secret}) {
                try (var client = WsClient.connect("ws://127.0.0.1:" + server.wsPort() + "/ws")) {
                    assertThat(client.request("sign", null, WsClient.auth(1, 1, 1, bad)).getCode()).isEqualTo(401);
                    client.awaitClose(Duration.ofSeconds(5));
                }
            }
            // a token for a user of another device is refused too, and named nowhere
            try (var client = WsClient.connect("ws://127.0.0.1:" + server.wsPort() + "/ws")) {
                assertThat(client.request("sign", null, WsClient.auth(1, 1, 2, goodToken)).getCode()).isEqualTo(401);
            }
        } finally {
            root.setLevel(rootLevel);
            netty.setLevel(nettyLevel);
            System.setOut(console);
        }
        var logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("generated an admin token").contains("sign refused");
        var tokenSignature = goodToken.substring(goodToken.lastIndexOf('.') + 1);
        for (var hidden : Map.of("admin token", adminToken, "app secret", secret, "user token", goodToken,
                "token signature", tokenSignature, "forged token", forged).entrySet()) {
            assertThat(logs).as("the logs hold the %s", hidden.getKey()).doesNotContain(hidden.getValue());
        }
    }

    /** Writes to the console and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) {
            copy.write(b);
            try {
                console.write(b);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            try {
                console.write(b, off, len);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
