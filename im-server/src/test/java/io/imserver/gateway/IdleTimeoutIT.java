package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A connection silent for the idle timeout is closed; one that keeps sending heartbeats is not. */
class IdleTimeoutIT {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.idleTimeout(Duration.ofSeconds(1)));
        server.admin().putApp(1, "app");
        server.admin().putUser(1, 1, "alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void silentConnection_isClosedWith1001_afterTheIdleTimeout() {
        try (var silent = server.signIn(1, 1, 1); var chatty = server.signIn(1, 1, 2)) {
            long deadline = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(chatty.request("heartbeat", null).getCode()).isEqualTo(200);
                sleep(300);
            }
            assertThat(silent.awaitClose(Duration.ofSeconds(1))).startsWith("1001");
            assertThat(chatty.isClosed()).isFalse();
        }
    }

    @Test
    void unsignedSilentConnection_isClosedToo() {
        try (var client = WsClient.connect(server.wsUrl())) {
            assertThat(client.awaitClose(Duration.ofSeconds(5))).startsWith("1001");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
