package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imserver.testing.Chat;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.GetUserInfoReq;

/**
 * A sign-in deadline of 1 s, at most 5 connections per address, and 5 protocol violations within 10 s close a
 * connection.
 */
class ConnectionLimitsIT {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.limits(l -> l.withSignInTimeout(Duration.ofSeconds(1))
                .withMaxConnectionsPerAddress(5).withViolations(5, Duration.ofSeconds(10))
                .withConnectionRate(new GatewayLimits.Rate(10, 20))));
        Chat.setUp(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void webSocketNotSignedIn_isClosedWith1008_whenTheDeadlinePasses() {
        try (var client = WsClient.connect(server.wsUrl())) {
            assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo("1008 sign-in deadline passed");
        }
    }

    @Test
    void connectionThatNeverBecomesAWebSocket_isClosedWhenTheDeadlinePasses() throws IOException {
        var uri = URI.create(server.wsUrl());
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
            socket.setSoTimeout(5000);
            // half a request, then silence: a slow-loris client
            socket.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void signedInConnection_outlivesTheDeadline() throws InterruptedException {
        try (var client = Chat.signIn(server, Chat.newUser(server), 1)) {
            Thread.sleep(1500);
            assertThat(client.request("heartbeat", null).getCode()).isEqualTo(200);
        }
    }

    @Test
    void sixthConnectionOfOneAddress_isRefused_aClosedOneFreesASlot_andOtherAddressesAreUnaffected()
            throws Exception {
        var crowded = InetAddress.getByName("127.0.0.2");
        var open = new ArrayList<WsClient>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(WsClient.connect(server.wsUrl(), crowded));
            }
            assertThatThrownBy(() -> WsClient.connect(server.wsUrl(), crowded)).hasRootCauseInstanceOf(IOException.class);
            try (var other = WsClient.connect(server.wsUrl(), InetAddress.getByName("127.0.0.3"))) {
                var token = server.admin().token(Chat.APP, Chat.newUser(server), 1, 60);
                assertThat(other.request("sign", null, WsClient.auth(Chat.APP, 0, 1, token)).getCode()).isEqualTo(401);
            }
            open.remove(0).close();
            // the server sees the close a moment later
            open.add(await("a connection of 127.0.0.2 in the freed slot").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(RuntimeException.class)
                    .until(() -> WsClient.connect(server.wsUrl(), crowded), Objects::nonNull));
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void fewViolations_leaveTheConnectionOpen_theFifthWithinTheWindowClosesItWith1008() {
        long userId = Chat.newUser(server);
        try (var client = Chat.signIn(server, userId, 1)) {
            client.sendRaw(new byte[] {(byte) 0xff, 0x01});
            assertThat(client.awaitType("error").getCode()).isEqualTo(422);
            assertThat(client.request("no-such-command", null).getCode()).isEqualTo(405);
            assertThat(client.request("getuserinfo", GetUserInfoReq.getDefaultInstance(),
                    WsClient.auth(Chat.APP, userId + 1, 1, "")).getCode()).isEqualTo(409);
            assertThat(client.request("no-such-command", null).getCode()).isEqualTo(405);
            assertThat(client.request("heartbeat", null).getCode()).isEqualTo(200);
            assertThat(client.isClosed()).isFalse();

            assertThat(client.request("no-such-command", null).getCode()).isEqualTo(405);
            assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo("1008 too many protocol violations");
        }
    }

    @Test
    void floodPastTheRate_closesTheConnection_afterItsRefusals() {
        try (var client = Chat.signIn(server, Chat.newUser(server), 1)) {
            try {
                for (int i = 0; i < 40; i++) {
                    client.send("getuserinfo", GetUserInfoReq.getDefaultInstance());
                }
            } catch (java.util.concurrent.CompletionException e) {
                // closed while still flooding: the rest was never sent
            }
            assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo("1008 too many protocol violations");
        }
    }
}
