package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignInIT {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        var admin = server.admin();
        admin.putApp(1, "app one");
        admin.putUser(1, 1, "alice");
        admin.putUser(1, 2, "bob");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sign_withTokenFromAdminApi_succeeds_andHeartbeatIsAnswered() {
        try (var client = server.signIn(1, 1, 1)) {
            var hb = client.request("heartbeat", null);
            assertThat(hb.getCode()).isEqualTo(200);
            assertThat(hb.getMessage()).isEqualTo("ok");
        }
    }
}
